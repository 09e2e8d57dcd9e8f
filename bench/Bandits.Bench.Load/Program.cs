using Bandits.Bench.Load;

// Socket completions run on the thread that polls the sockets instead of hopping to the
// thread pool: the continuations here only record a latency, and skipping the hop costs
// the generator about 2.5 times less CPU, CPU that the measured server shares.
// Read once, when the first socket is made, so it must be set before anything else.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

return LoadCommand.Create().Parse(args).Invoke();
