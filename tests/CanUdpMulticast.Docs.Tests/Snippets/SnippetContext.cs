using CanUdpMulticast.Notifications;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Docs.Tests.Snippets;

/// <summary>
/// What a README fragment may use without declaring it (the names the README's prose introduces): each generated
/// snippet class derives from this, so a fragment's own declarations shadow these. Only compiled for fragments, never
/// run: a block that runs declares everything it uses.
/// </summary>
#pragma warning disable SA1300, IDE1006, CA1707, CA2211, CS0649 // the fields carry the README's lower-case names on purpose
internal abstract class SnippetContext
{
    protected static CanBus bus = null!;
    protected static CanBus busA = null!;
    protected static CanBus busB = null!;
    protected static CanMessage frame;
    protected static CanMessage muxPage0;
    protected static CanMessage muxPage1;
    protected static CanMessage muxPage2;
    protected static CancellationToken token;
    protected static CancellationToken cancellationToken;
    protected static ILogger logger = null!;
    protected static IFrameStore store = null!;
    protected static ICanListener listener = null!;

    /// <summary>Something a listener saves frames to.</summary>
    protected interface IFrameStore
    {
        Task SaveAsync(CanMessage message, CancellationToken cancellationToken);
    }
}
#pragma warning restore SA1300, IDE1006, CA1707, CA2211, CS0649
