using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CanUdpMulticast.Hosting.Tests;

/// <summary>Builds a generic host from in-memory configuration, as a worker service's appsettings.json would give it.</summary>
internal static class TestHost
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static IHost Build(IDictionary<string, string?> settings, Action<HostApplicationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        configure(builder);
        return builder.Build();
    }

    /// <summary>A virtual channel no other test uses.</summary>
    public static string NewChannel() => "hosting-" + Guid.NewGuid().ToString("N");

    public static async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, because);
            await Task.Delay(10);
        }
    }

    public static IServiceCollection Services(this HostApplicationBuilder builder) => builder.Services;
}
