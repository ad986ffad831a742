namespace CanUdpMulticast.Notifications;

/// <summary>The receive loop of one bus of a <see cref="Notifier"/>.</summary>
internal sealed class NotifierBusLoop(CanBus bus) : IDisposable
{
    public CanBus Bus { get; } = bus;

    public CancellationTokenSource Cancellation { get; } = new();

    public Task Completion { get; set; } = Task.CompletedTask;

    public void Dispose() => Cancellation.Dispose();
}
