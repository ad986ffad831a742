using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CanUdpMulticast.Nats.Tests.Support;

/// <summary>
/// A real <c>nats-server</c> (Debian package) on a free loopback port with its own temporary directory, started by
/// the test and killed on dispose. Refuses to run outside the test network namespace (nothing may reach the network).
/// </summary>
public sealed class NatsServerProcess : IDisposable
{
    private readonly string _directory;
    private readonly List<string> _arguments;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private NatsServerProcess(string directory, int port, List<string> arguments)
    {
        _directory = directory;
        Port = port;
        _arguments = arguments;
    }

    /// <summary>The client port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The client URL.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>The temporary directory (JetStream storage, config files).</summary>
    public string Directory => _directory;

    /// <summary>What the server printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a server.</summary>
    /// <param name="jetStream">Enable JetStream (storage in the temporary directory).</param>
    /// <param name="config">A config file body; <c>{port}</c> is replaced by the port.</param>
    /// <param name="extra">More command-line arguments.</param>
    /// <param name="port">A fixed port (to restart a server on the same address); 0 picks a free one.</param>
    /// <returns>The running server.</returns>
    /// <param name="networkNamespace">Run it in this <c>ip netns</c> namespace (listening on every address there).</param>
    public static NatsServerProcess Start(bool jetStream = false, string? config = null, IEnumerable<string>? extra = null, int port = 0, string? networkNamespace = null)
    {
        EnsureInNamespace();
        var directory = System.IO.Directory.CreateTempSubdirectory("nats-test-").FullName;
        port = port == 0 ? FreePort() : port;
        var arguments = networkNamespace is null ? new List<string> { "nats-server", "-a", "127.0.0.1" } : ["ip", "netns", "exec", networkNamespace, "nats-server", "-a", "0.0.0.0"];
        arguments.AddRange(["-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (jetStream)
        {
            arguments.AddRange(["-js", "-sd", Path.Combine(directory, "js")]);
        }

        if (config is not null)
        {
            var path = Path.Combine(directory, "server.conf");
            File.WriteAllText(path, config.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            arguments.AddRange(["-c", path]);
        }

        arguments.AddRange(extra ?? []);
        var server = new NatsServerProcess(directory, port, arguments);
        server.Run();
        return server;
    }

    /// <summary>A free TCP port on 127.0.0.1.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay up but nothing is answered, as with a hung server.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    /// <summary>Starts the killed server again on the same port, arguments and storage.</summary>
    public void Restart()
    {
        Kill();
        Run();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Run()
    {
        var start = new ProcessStartInfo(_arguments[0])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in _arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited with {process.ExitCode}: {Output}");
            }

            if (Output.Contains("Server is ready", StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(20);
        }

        throw new InvalidOperationException($"nats-server did not become ready in 10 s: {Output}");
    }

    private void Signal(string signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("nats-server is not running");
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (!kill.WaitForExit(5_000) || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static void EnsureInNamespace()
    {
        if (Environment.GetEnvironmentVariable("CANUDP_NETNS") != "1")
        {
            throw new InvalidOperationException("NATS tests run only inside the private network namespace (scripts/in-netns.sh).");
        }
    }
}
