namespace CanUdpMulticast.Harness.Roles;

/// <summary>Whose a method compiled after the first 1,000 frames is (see <see cref="JitProbe"/>).</summary>
internal enum JitMethodOwner
{
    /// <summary>The runtime's or the harness's own.</summary>
    Other,

    /// <summary>The library's: declared in a <c>CanUdpMulticast.*</c> namespace other than the harness's.</summary>
    Library,

    /// <summary>A runtime generic instantiated over a library type (e.g. <c>ValueTask&lt;CanMessage?&gt;</c>).</summary>
    RuntimeOverLibrary,
}
