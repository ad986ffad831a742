using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CanUdpMulticast.Faults.Tests.Support;

/// <summary>A process of the battery (agent or python-can peer), optionally in another namespace: stdout as lines, stderr kept.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _stderr = new();

    private ChildProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
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

    public int Id => _process.Id;

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

    /// <summary>The battery's agent (tests/CanUdpMulticast.Faults.Agent), in the caller's namespace or in <paramref name="netnsPath"/>.</summary>
    public static ChildProcess Agent(string? netnsPath, params string[] arguments) =>
        Start(netnsPath, "dotnet", [Path.Combine(AppContext.BaseDirectory, "CanUdpMulticast.Faults.Agent.dll"), .. arguments]);

    /// <summary>A python-can 4.1.0 script of this project's python/ folder under Debian's /usr/bin/python3.</summary>
    public static ChildProcess Python(string? netnsPath, string script, params string[] arguments) =>
        Start(netnsPath, "/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "python", script), .. arguments]);

    public static ChildProcess Start(string? netnsPath, string program, IEnumerable<string> arguments)
    {
        var start = netnsPath is null ? new ProcessStartInfo(program) : new ProcessStartInfo("nsenter");
        if (netnsPath is not null)
        {
            start.ArgumentList.Add("--net=" + netnsPath);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ChildProcess(start);
    }

    /// <summary>The next stdout line that starts with <paramref name="prefix"/> (earlier lines are passed over).</summary>
    public string WaitForLine(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
            {
                throw new TimeoutException($"no '{prefix}' line within {timeout.TotalSeconds} s (exited: {_process.HasExited}); stderr: {StandardError}");
            }

            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>SIGKILL, by this process's own handle (never by name).</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
