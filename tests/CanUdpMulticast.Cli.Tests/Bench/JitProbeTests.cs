using CanUdpMulticast.Harness.Roles;

namespace CanUdpMulticast.Cli.Tests.Bench;

/// <summary>The harness's JIT probe: which compiled methods count as the library's for target 11.d.</summary>
public sealed class JitProbeTests
{
    [Theory]
    [InlineData("CanUdpMulticast.CanBus+<ReceiveAcceptedAsync>d__44")]
    [InlineData("CanUdpMulticast.Interfaces.UdpMulticast.DatagramReceiver+WaitAndReceiveStateMachine")]
    [InlineData("CanUdpMulticast.Interfaces.UdpMulticast.SocketReadiness+<WaitAsync>d__0")]
    [InlineData("CanUdpMulticast.Notifications.Notifier")]
    public void Classify_TypeInALibraryNamespace_IsTheLibrarys(string declaringType) =>
        JitProbe.Classify(declaringType).Should().Be(JitMethodOwner.Library);

    [Theory]
    [InlineData("System.Threading.Tasks.ValueTask`1[System.Nullable`1[CanUdpMulticast.CanMessage]]")]
    [InlineData("System.Threading.Tasks.Sources.ManualResetValueTaskSourceCore`1[System.Nullable`1[CanUdpMulticast.CanMessage]]")]
    [InlineData("System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder`1+StateMachineBox`1[System.Boolean,CanUdpMulticast.CanBus+NextFrameStateMachine]")]
    public void Classify_RuntimeGenericOverALibraryType_IsCountedApart(string declaringType) =>
        JitProbe.Classify(declaringType).Should().Be(JitMethodOwner.RuntimeOverLibrary);

    [Theory]
    [InlineData("System.Threading.Monitor")]
    [InlineData("CanUdpMulticast.Harness.Roles.LibraryRoles+<ReceiveAsync>d__4")]
    [InlineData("System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1[System.Threading.Tasks.VoidTaskResult,CanUdpMulticast.Harness.Roles.LibraryRoles+<Watchdog>d__5]")]
    [InlineData("?")]
    public void Classify_RuntimeOrHarnessCode_IsNeither(string declaringType) =>
        JitProbe.Classify(declaringType).Should().Be(JitMethodOwner.Other);
}
