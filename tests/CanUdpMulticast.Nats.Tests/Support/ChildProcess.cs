using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CanUdpMulticast.Nats.Tests.Support;

/// <summary>A child process (python-can, canudp) whose output lines the test reads as they come; killed on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _stderr = new();

    public ChildProcess(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
            }
            else
            {
                _lines.Add(e.Data);
            }
        };
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
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public void WriteLine(string line) => _process.StandardInput.WriteLine(line);

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>The next stdout line, or null when none came within the timeout or the output ended.</summary>
    public string? ReadLine(TimeSpan timeout) => _lines.TryTake(out var line, timeout) ? line : null;

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>; throws with stderr when none does in time.</summary>
    public string ExpectLine(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (ReadLine(deadline - DateTime.UtcNow) is { } line && line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new TimeoutException($"no line starting with '{prefix}' within {timeout}; stderr: {StandardError}");
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>.</summary>
    public void ExpectStandardError(string text, TimeSpan timeout) =>
        Frames.WaitUntil(() => StandardError.Contains(text, StringComparison.Ordinal) || _process.HasExited, timeout, $"stderr shows '{text}'");

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException("the process did not exit; stderr: " + StandardError);
        }

        _process.WaitForExit(); // with a timeout it does not wait for the redirected output to be read to its end
        return _process.ExitCode;
    }

    /// <summary>Asks the process to stop as Ctrl+C would (SIGINT via kill(1) on its own pid).</summary>
    public void Interrupt()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
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
        }

        _process.Dispose();
        _lines.Dispose();
    }
}
