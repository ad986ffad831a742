using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>A child process of one benchmark run (a .NET role or a python-can script), optionally pinned with taskset.</summary>
internal sealed class Child : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Dictionary<string, double>> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _stderr = new();

    private Child(string label, ProcessStartInfo start)
    {
        Label = label;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.Exited += (_, _) =>
        {
            // Give the output reader a moment to deliver the last lines before failing the waits.
            _ = Task.Delay(500).ContinueWith(_ =>
            {
                var error = new InvalidOperationException($"{Label} exited (code {SafeExitCode()}) without a result. stderr:\n{Stderr}");
                _ready.TrySetException(error);
                _result.TrySetException(error);
            }, TaskScheduler.Default);
        };
    }

    public string Label { get; }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a process; <paramref name="cpu"/> pins it (and all its threads) with <c>taskset -c</c>.</summary>
    public static Child Start(string label, string? cpu, string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo
        {
            FileName = cpu is null ? file : "taskset",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cpu is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cpu);
            start.ArgumentList.Add(file);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Children inherit the environment, CANUDP_NETNS=1 included (their guard against running outside the namespace).
        var child = new Child(label, start);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Writes one line to the child's standard input (a go signal).</summary>
    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _ready.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);

    public async Task<Dictionary<string, double>> WaitResultAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await _result.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return result;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }

        _process.Dispose();
    }

    private int SafeExitCode()
    {
        try
        {
            return _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line == "READY")
        {
            _ready.TrySetResult();
        }
        else if (line.StartsWith("RESULT", StringComparison.Ordinal))
        {
            var fields = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                fields[part[..eq]] = double.Parse(part[(eq + 1)..], CultureInfo.InvariantCulture);
            }

            _result.TrySetResult(fields);
        }
        else
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }
}
