namespace CanUdpMulticast.Periodic;

/// <summary>Counters of a periodic task over its lifetime (all runs).</summary>
/// <param name="Sent">Messages handed to the bus successfully.</param>
/// <param name="Skipped">Slots left out because the scheduler was a whole period or more behind (only with <see cref="PeriodicSendOptions.SkipMissedSlots"/>).</param>
/// <param name="Errors">Sends (or modifier calls) that failed.</param>
/// <param name="MaxLateness">The largest delay between a slot's due time and the moment its send began.</param>
/// <param name="MeanLateness">The mean of that delay over all slots that were served.</param>
public readonly record struct CyclicSendTaskStatistics(
    long Sent,
    long Skipped,
    long Errors,
    TimeSpan MaxLateness,
    TimeSpan MeanLateness);
