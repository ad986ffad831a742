namespace CanUdpMulticast.Cli.Output;

/// <summary>
/// Standard output that notices when the reader went away (<c>canudp dump | head -2</c>): the first write that fails
/// with an I/O error (EPIPE) marks the output closed and cancels <see cref="Closed"/>, so the running command ends as on
/// Ctrl+C (exit 0, summary on stderr); later writes are dropped.
/// </summary>
internal sealed class ClosableOutput(TextWriter inner) : TextWriter
{
    private readonly CancellationTokenSource _closed = new();

    /// <summary>Cancelled when a write failed because the reader closed the output.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <inheritdoc/>
    public override System.Text.Encoding Encoding => inner.Encoding;

    /// <inheritdoc/>
    public override void Write(char value) => Guard(() => inner.Write(value));

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    /// <inheritdoc/>
    public override void Write(string? value) => Guard(() => inner.Write(value));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            inner.Write(buffer);
        }
        catch (IOException)
        {
            MarkClosed();
        }
    }

    /// <inheritdoc/>
    public override void Flush() => Guard(inner.Flush);

    /// <inheritdoc/>
    public override Task WriteAsync(char value) => GuardAsync(() => inner.WriteAsync(value));

    /// <inheritdoc/>
    public override Task WriteAsync(string? value) => GuardAsync(() => inner.WriteAsync(value));

    /// <inheritdoc/>
    public override Task WriteAsync(char[] buffer, int index, int count) => GuardAsync(() => inner.WriteAsync(buffer, index, count));

    /// <inheritdoc/>
    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        GuardAsync(() => inner.WriteAsync(buffer, cancellationToken));

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value) => GuardAsync(() => inner.WriteLineAsync(value));

    /// <inheritdoc/>
    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        GuardAsync(() => inner.WriteLineAsync(buffer, cancellationToken));

    /// <inheritdoc/>
    public override Task FlushAsync() => GuardAsync(inner.FlushAsync);

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => GuardAsync(() => inner.FlushAsync(cancellationToken));

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _closed.Dispose();
            try
            {
                inner.Dispose();
            }
            catch (IOException)
            {
                // The buffered rest could not reach a closed reader.
            }
        }

        base.Dispose(disposing);
    }

    private void Guard(Action write)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            write();
        }
        catch (IOException)
        {
            MarkClosed();
        }
    }

    private async Task GuardAsync(Func<Task> write)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await write();
        }
        catch (IOException)
        {
            MarkClosed();
        }
    }

    private void MarkClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
