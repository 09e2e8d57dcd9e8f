namespace Bandits.Bench.Load;

/// <summary>
/// One request as the command line describes it, made anew for every send (a request
/// message cannot be sent twice). Headers are sorted once into request headers, which the
/// client sends with every request (<see cref="AddHeadersTo"/>: no header store per request),
/// and content headers.
/// </summary>
internal sealed class RequestTemplate
{
    private readonly HttpMethod _method;
    private readonly Uri _url;
    private readonly byte[]? _body;
    private readonly List<KeyValuePair<string, string>> _requestHeaders = [];
    private readonly List<KeyValuePair<string, string>> _contentHeaders = [];

    /// <param name="headers">"Name: value" lines.</param>
    /// <param name="body">The body, or null; a body without a Content-Type header is sent as application/json.</param>
    /// <exception cref="ArgumentException">A header is malformed, or names content without a body; the message says which.</exception>
    public RequestTemplate(HttpMethod method, Uri url, IEnumerable<string> headers, byte[]? body)
    {
        _method = method;
        _url = url;
        _body = body;
        using var probe = new HttpRequestMessage();
        using var probeContent = new ByteArrayContent([]);
        foreach (string line in headers)
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new ArgumentException($"A header is \"Name: value\", not \"{line}\".");
            var header = KeyValuePair.Create(line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (probe.Headers.TryAddWithoutValidation(header.Key, header.Value)) _requestHeaders.Add(header);
            else if (probeContent.Headers.TryAddWithoutValidation(header.Key, header.Value)) _contentHeaders.Add(header);
            else throw new ArgumentException($"\"{header.Key}\" is not a header that can be sent.");
        }
        if (_contentHeaders.Count > 0 && body is null)
            throw new ArgumentException("Content headers need a body (--body or --body-file).");
        if (body is not null && !_contentHeaders.Exists(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
            _contentHeaders.Add(KeyValuePair.Create("Content-Type", "application/json"));
    }

    /// <summary>Makes the request headers the client's defaults.</summary>
    public void AddHeadersTo(HttpClient client)
    {
        foreach (var (name, value) in _requestHeaders) client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
    }

    public HttpRequestMessage Create()
    {
        var request = new HttpRequestMessage(_method, _url);
        if (_body is not null)
        {
            var content = new ByteArrayContent(_body);
            foreach (var (name, value) in _contentHeaders) content.Headers.TryAddWithoutValidation(name, value);
            request.Content = content;
        }
        return request;
    }
}
