using System.CommandLine;
using System.Text;

namespace Bandits.Bench.Load;

/// <summary>The command line: options, their validation, and the hand-off to <see cref="OpenLoopRun"/>.</summary>
internal static class LoadCommand
{
    /// <summary>Exit code of a run with more errors than --max-errors allows, or no answer at all.</summary>
    private const int TooManyErrors = 3;

    public static RootCommand Create()
    {
        var url = new Option<string>("--url") { Description = "The http:// or https:// URL every request goes to.", Required = true };
        var rate = new Option<double>("--rate") { Description = "Intended requests per second.", Required = true };
        var seconds = new Option<double>("--seconds") { Description = "Length of the measured window.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds at the same rate before the window, not recorded.", DefaultValueFactory = _ => 2 };
        var method = new Option<string>("--method") { Description = "HTTP method.", DefaultValueFactory = _ => "GET" };
        var headers = new Option<string[]>("--header")
        {
            Description = "A header, \"Name: value\"; repeat for several.",
            DefaultValueFactory = _ => [],
            AllowMultipleArgumentsPerToken = false,
        };
        var body = new Option<string?>("--body") { Description = "Request body (sent as application/json unless a Content-Type header says otherwise)." };
        var bodyFile = new Option<FileInfo?>("--body-file") { Description = "Request body read from a file." };
        var arrivals = new Option<ArrivalProcess>("--arrivals") { Description = "poisson (exponential gaps) or constant.", DefaultValueFactory = _ => ArrivalProcess.Poisson };
        var seed = new Option<int>("--seed") { Description = "Seed of the Poisson arrivals; the same seed gives the same schedule.", DefaultValueFactory = _ => 1 };
        var connections = new Option<int>("--connections") { Description = "Most connections (and requests in flight) at once.", DefaultValueFactory = _ => 256 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds after which an unanswered request fails.", DefaultValueFactory = _ => 10 };
        var maxErrors = new Option<double>("--max-errors")
        {
            Description = $"Largest share of failed or non-2xx requests before the run fails (exit code {TooManyErrors}).",
            DefaultValueFactory = _ => 0.01,
        };

        var command = new RootCommand(
            "Sends HTTP requests at a fixed rate, independent of the answers (open loop), and prints latency percentiles " +
            "measured from each request's intended send time. The last line of standard output is name=value pairs.")
        {
            url, rate, seconds, warmup, method, headers, body, bodyFile, arrivals, seed, connections, timeout, maxErrors,
        };
        Positive(rate);
        Positive(seconds);
        Positive(timeout);
        Positive(connections);
        warmup.Validators.Add(r => { if (r.GetValueOrDefault<double>() < 0) r.AddError("--warmup cannot be negative."); });
        maxErrors.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 1) r.AddError("--max-errors is a share between 0 and 1.");
        });
        url.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string>(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                r.AddError("--url must be an absolute http:// or https:// URL.");
        });
        bodyFile.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo?>() is { Exists: false } file) r.AddError($"--body-file: {file.FullName} does not exist.");
        });
        command.Validators.Add(r =>
        {
            if (r.GetValue(body) is not null && r.GetValue(bodyFile) is not null) r.AddError("Give at most one of --body and --body-file.");
        });

        command.SetAction(result =>
        {
            byte[]? content = result.GetValue(bodyFile) is { } file ? File.ReadAllBytes(file.FullName)
                : result.GetValue(body) is { } text ? Encoding.UTF8.GetBytes(text)
                : null;
            RequestTemplate request;
            try
            {
                request = new RequestTemplate(new HttpMethod(result.GetValue(method)!), new Uri(result.GetValue(url)!), result.GetValue(headers)!, content);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            var settings = new LoadSettings
            {
                Request = request,
                Rate = result.GetValue(rate),
                Measured = TimeSpan.FromSeconds(result.GetValue(seconds)),
                Warmup = TimeSpan.FromSeconds(result.GetValue(warmup)),
                Arrivals = result.GetValue(arrivals),
                Seed = result.GetValue(seed),
                Connections = result.GetValue(connections),
                Timeout = TimeSpan.FromSeconds(result.GetValue(timeout)),
                MaxErrorRatio = result.GetValue(maxErrors),
            };
            using var run = new OpenLoopRun(settings);
            LoadReport report = run.Execute();
            Console.Error.WriteLine(report.ToText());
            Console.WriteLine(report.ToLine());
            if (report.Requests > 0 && report.Errors <= settings.MaxErrorRatio * report.Requests) return 0;
            Console.Error.WriteLine($"too many errors: {report.Errors} of {report.Requests} requests (at most {settings.MaxErrorRatio:P1} allowed)");
            return TooManyErrors;
        });
        return command;
    }

    private static void Positive<T>(Option<T> option) where T : System.Numerics.INumber<T> =>
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<T>() <= T.Zero) r.AddError($"{option.Name} must be positive.");
        });
}
