using CanUdpMulticast.Registry;
using Microsoft.Extensions.Options;

namespace CanUdpMulticast.Hosting;

/// <summary>
/// Checks a bus's options before the host starts (<c>ValidateOnStart</c>): an interface is given and registered, the
/// filters parsed, the keys are not empty. Each error names the bus, the key, the value and where it came from. Option
/// values are converted (and checked) by the backend when the bus opens, which the host also does at start.
/// </summary>
internal sealed class CanBusOptionsValidator(string name, CanInterfaceRegistry registry) : IValidateOptions<CanBusOptions>
{
    public ValidateOptionsResult Validate(string? optionsName, CanBusOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        var where = options.SectionPath is null ? "set in code" : $"configuration section '{options.SectionPath}'";
        if (string.IsNullOrWhiteSpace(options.Interface))
        {
            errors.Add($"CAN bus '{name}': key 'Interface' is missing ({where}); known interfaces: {string.Join(", ", registry.Names)}.");
        }
        else if (!registry.Contains(options.Interface))
        {
            errors.Add($"CAN bus '{name}': key 'Interface' has the value '{options.Interface}' ({options.SourceOf("Interface")}), " +
                $"which is not a registered interface; known interfaces: {string.Join(", ", registry.Names)}.");
        }

        if (options.Channel is { } channel && string.IsNullOrWhiteSpace(channel))
        {
            errors.Add($"CAN bus '{name}': key 'Channel' is empty ({options.SourceOf("Channel")}); leave it out for the backend's default.");
        }

        foreach (var key in options.Options.Keys)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                errors.Add($"CAN bus '{name}': a backend option has an empty key ({where}).");
            }
        }

        errors.AddRange(options.BindErrors.Select(error => $"CAN bus '{name}': {error}"));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
