using System.Diagnostics;
using Spectre.Console;

namespace CanUdpMulticast.Cli.Output;

/// <summary>
/// A Spectre.Console progress bar with the frame rate in its description, for <c>gen</c> and <c>replay</c>. Only
/// shown on a terminal; otherwise the work runs without one.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, showing a progress bar when <paramref name="show"/> is set.</summary>
    /// <param name="context">The CLI context.</param>
    /// <param name="show">Whether to show the bar.</param>
    /// <param name="label">The task label, e.g. <c>gen</c>.</param>
    /// <param name="total">The number of frames the bar counts to.</param>
    /// <param name="work">The work; it reports the number of frames done through the callback.</param>
    /// <returns>The work's result.</returns>
    public static async Task<T> RunAsync<T>(CliContext context, bool show, string label, long total, Func<Action<long>, Task<T>> work)
    {
        if (!show)
        {
            return await work(static _ => { });
        }

        T result = default!;
        await context.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(label, maxValue: Math.Max(1, total));
                var started = Stopwatch.GetTimestamp();
                long lastShown = 0;
                result = await work(done =>
                {
                    // Cheap enough per frame: only touch the task every 1/50 of the way or on completion.
                    if (done - lastShown < Math.Max(1, total / 50) && done != total)
                    {
                        return;
                    }

                    lastShown = done;
                    task.Value = done;
                    task.Description = $"{label} {done:#,0}/{total:#,0} {Summary.Rate(done, Stopwatch.GetElapsedTime(started))}";
                });
                task.Value = lastShown;
                task.StopTask();
            });
        return result;
    }
}
