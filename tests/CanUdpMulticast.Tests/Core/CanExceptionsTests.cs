namespace CanUdpMulticast.Tests.Core;

public sealed class CanExceptionsTests
{
    [Fact]
    public void Hierarchy_EveryErrorIsACanException()
    {
        new CanInitializationException("x").Should().BeAssignableTo<CanException>();
        new CanOperationException("x").Should().BeAssignableTo<CanException>();
        new CanTimeoutException("x").Should().BeAssignableTo<CanException>();
        new CanInterfaceNotImplementedException("x").Should().BeAssignableTo<CanException>();
    }

    [Fact]
    public void ErrorCode_AppendedToTheMessageLikePythonCan()
    {
        var error = new CanException("Could not open", 42);
        error.Message.Should().Be("Could not open [Error Code 42]");
        error.ErrorCode.Should().Be(42);
        new CanException("no code").ErrorCode.Should().BeNull();
    }

    [Fact]
    public void InnerException_Kept()
    {
        var inner = new IOException("socket");
        new CanOperationException("send failed", inner).InnerException.Should().BeSameAs(inner);
        new CanException("x", 1, inner).InnerException.Should().BeSameAs(inner);
    }
}
