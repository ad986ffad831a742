using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>
/// Another network namespace (a simulated "host"), created from inside the test namespace: kept alive by a
/// <c>sleep</c> process started with <c>unshare --net</c>, configured with <c>nsenter</c>, and entered by single threads
/// (<c>setns</c> is per thread), so a bus opened on such a thread has its sockets in that namespace. Disposing kills the
/// sleep process, which removes the namespace and its interfaces.
/// </summary>
public sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private readonly Process _holder;

    private NetworkNamespace(Process holder)
    {
        _holder = holder;
    }

    /// <summary>The pid of the process that holds the namespace.</summary>
    public int Pid => _holder.Id;

    /// <summary>The namespace file.</summary>
    public string Path => $"/proc/{Pid}/ns/net";

    /// <summary>Creates an empty namespace (only a down <c>lo</c>).</summary>
    /// <returns>The namespace.</returns>
    public static NetworkNamespace Create()
    {
        var holder = Process.Start(new ProcessStartInfo("unshare", ["--net", "--", "sleep", "600"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start unshare");
        var ours = new FileInfo("/proc/self/ns/net").LinkTarget;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            string? theirs = null;
            try
            {
                theirs = new FileInfo($"/proc/{holder.Id}/ns/net").LinkTarget;
            }
            catch (IOException)
            {
            }

            if (theirs is not null && theirs != ours)
            {
                return new NetworkNamespace(holder);
            }

            if (holder.HasExited || DateTime.UtcNow > deadline)
            {
                holder.Dispose();
                throw new InvalidOperationException("unshare --net did not create a namespace");
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Runs shell commands in this namespace; throws with their output if they fail.</summary>
    /// <param name="script">The commands.</param>
    public void Run(string script) => RunIn($"--net={Path}", script);

    /// <summary>Runs shell commands in the caller's (the test's) namespace.</summary>
    /// <param name="script">The commands.</param>
    public static void RunHere(string script) => RunIn(null, script);

    /// <summary>Runs code on a new thread that has entered this namespace; sockets it opens live here for good.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="action">The code.</param>
    /// <returns>Its result.</returns>
    public T Invoke<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var handle = File.OpenHandle(Path))
                {
                    if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    {
                        throw new InvalidOperationException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
                    }
                }

                result = action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"failed inside namespace {Path}: {failure.Message}", failure);
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!_holder.HasExited)
            {
                _holder.Kill(); // the sleep process this object started, by its own handle
                _holder.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _holder.Dispose();
    }

    private static void RunIn(string? netArgument, string script)
    {
        var start = netArgument is null
            ? new ProcessStartInfo("sh", ["-ec", script])
            : new ProcessStartInfo("nsenter", [netArgument, "--", "sh", "-ec", script]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{script}' failed with exit code {process.ExitCode}: {output}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);
}
