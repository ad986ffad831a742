namespace CanUdpMulticast.IO.Text;

/// <summary>
/// A writer that buffers bytes before they reach its stream says how many, so the size-rotating writer sees the
/// file size python-can's <c>file_size()</c> would report.
/// </summary>
internal interface IPendingBytes
{
    /// <summary>Bytes formatted but not yet written to the stream.</summary>
    long PendingBytes { get; }
}
