using System.CommandLine;
using System.CommandLine.Parsing;
using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Cli.Options;

/// <summary>
/// The bus options every bus command has (python-can's <c>add_bus_arguments</c>, adapted): interface, channel,
/// UDP port, hop limit, CAN FD, network interface, filters, free <c>key=value</c> options and the configuration
/// context. <c>bridge</c> uses a second set with the prefix <c>bus2-</c>.
/// </summary>
internal sealed class BusOptionSet
{
    /// <summary>The interface used when neither the command line nor the environment or a config file names one.</summary>
    public const string DefaultInterface = "udp_multicast";

    // Option keys of the udp_multicast backend (python-can's keyword arguments where python-can has them).
    internal const string PortKey = "port";
    internal const string HopLimitKey = "hop_limit";
    internal const string FdKey = "fd";
    internal const string NetworkInterfaceKey = "network_interface";

    private const string DefaultLabel = "the bus";
    private readonly string _label;

    public BusOptionSet(string prefix = "", string label = DefaultLabel)
    {
        _label = label;
        var shortAliases = prefix.Length == 0;
        Interface = new Option<string?>($"--{prefix}interface", shortAliases ? ["-i"] : [])
        {
            Description = $"Interface of {label}: udp_multicast, virtual or any registered one [default: CAN_INTERFACE, the config file, else {DefaultInterface}]",
            HelpName = "name",
        };
        Channel = new Option<string?>($"--{prefix}channel", shortAliases ? ["-c"] : [])
        {
            Description = $"Channel of {label}: the multicast group for udp_multicast (e.g. 239.74.163.2), a name for virtual",
            HelpName = "channel",
        };
        Port = new Option<int?>($"--{prefix}port")
        {
            Description = $"UDP port of {label} [udp_multicast default: 43113]",
            HelpName = "port",
        };
        Port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } p && p is < 1 or > 65535)
            {
                r.AddError($"{r.IdentifierToken?.Value} must be 1..65535, not {p}.");
            }
        });
        HopLimit = new Option<int?>($"--{prefix}hop-limit")
        {
            Description = $"Multicast hop limit (TTL) of {label}; 0 keeps frames on this host [udp_multicast default: 1]",
            HelpName = "hops",
        };
        HopLimit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } h && h is < 0 or > 255)
            {
                r.AddError($"{r.IdentifierToken?.Value} must be 0..255, not {h}.");
            }
        });
        Fd = new Option<bool>($"--{prefix}fd") { Description = $"Enable CAN FD on {label}" };
        NoFd = new Option<bool>($"--{prefix}no-fd") { Description = $"Disable CAN FD on {label} (classic frames only)" };
        NetworkInterface = new Option<string?>($"--{prefix}net-interface")
        {
            Description = $"Network interface {label} joins the group on (name, index or address) [default: the OS's choice]",
            HelpName = "nic",
        };
        Filters = new Option<CanFilter[]>($"--{prefix}filter")
        {
            Description = "Receive filter id:mask or id~mask (hex, ~ inverts); repeatable, a frame passes if any filter matches",
            HelpName = "id:mask",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = ParseFilters,
        };
        BusOptions = new Option<KeyValuePair<string, object?>[]>($"--{prefix}bus-option")
        {
            Description = "Backend option key=value (e.g. receive_own_messages=true); repeatable; a key the interface does not know is an error",
            HelpName = "key=value",
            CustomParser = ParseKeyValues,
        };
        Context = new Option<string?>($"--{prefix}context")
        {
            Description = "Configuration context: section [NAME] of the config file and suffix _NAME of the CAN_* environment variables",
            HelpName = "name",
        };
        IgnoreConfig = new Option<bool>($"--{prefix}ignore-config")
        {
            Description = "Ignore the CAN_* environment variables and the config files",
        };
    }

    public Option<string?> Interface { get; }

    public Option<string?> Channel { get; }

    public Option<int?> Port { get; }

    public Option<int?> HopLimit { get; }

    public Option<bool> Fd { get; }

    public Option<bool> NoFd { get; }

    public Option<string?> NetworkInterface { get; }

    public Option<CanFilter[]> Filters { get; }

    public Option<KeyValuePair<string, object?>[]> BusOptions { get; }

    public Option<string?> Context { get; }

    public Option<bool> IgnoreConfig { get; }

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        foreach (var option in All())
        {
            command.Options.Add(option);
        }
    }

    private IEnumerable<Option> All() =>
        [Interface, Channel, Port, HopLimit, Fd, NoFd, NetworkInterface, Filters, BusOptions, Context, IgnoreConfig];

    /// <summary>The configuration the command line asks for, merged with the environment and config files.</summary>
    /// <param name="result">The parse result.</param>
    /// <param name="context">The CLI context (configuration sources).</param>
    /// <returns>The complete configuration, with an interface.</returns>
    /// <exception cref="UsageException">Contradicting options.</exception>
    public BusConfiguration Resolve(ParseResult result, CliContext context) => Resolve(result, context, ignoreConfig: result.GetValue(IgnoreConfig));

    /// <summary>The configuration the command line asks for, merged with the environment and config files unless <paramref name="ignoreConfig"/>.</summary>
    /// <param name="result">The parse result.</param>
    /// <param name="context">The CLI context (configuration sources).</param>
    /// <param name="ignoreConfig">Use only the command line.</param>
    /// <returns>The complete configuration, with an interface.</returns>
    /// <exception cref="UsageException">Contradicting options.</exception>
    public BusConfiguration Resolve(ParseResult result, CliContext context, bool ignoreConfig)
    {
        var explicitConfig = new BusConfiguration(result.GetValue(Interface), result.GetValue(Channel))
        {
            InterfaceSource = "the command line",
            ChannelSource = "the command line",
        };
        const string Source = "the command line";
        if (result.GetValue(Port) is { } port)
        {
            explicitConfig.Set(PortKey, (long)port, Source);
        }

        if (result.GetValue(HopLimit) is { } hopLimit)
        {
            explicitConfig.Set(HopLimitKey, (long)hopLimit, Source);
        }

        var fd = result.GetValue(Fd);
        var noFd = result.GetValue(NoFd);
        if (fd && noFd)
        {
            throw new UsageException($"{Fd.Name} and {NoFd.Name} exclude each other.");
        }

        if (fd || noFd)
        {
            explicitConfig.Set(FdKey, fd, Source);
        }

        if (result.GetValue(NetworkInterface) is { } nic)
        {
            explicitConfig.Set(NetworkInterfaceKey, nic, Source);
        }

        foreach (var (key, value) in result.GetValue(BusOptions) ?? [])
        {
            explicitConfig.Set(key, value, Source);
        }

        if (result.GetValue(Filters) is { Length: > 0 } filters)
        {
            explicitConfig.Filters = filters;
        }

        var config = ignoreConfig
            ? explicitConfig
            : context.ConfigurationLoader.Load(explicitConfig, result.GetValue(Context));
        if (string.IsNullOrEmpty(config.Interface))
        {
            config.Interface = DefaultInterface;
            config.InterfaceSource = "the default";
        }

        return config;
    }

    /// <summary>Opens the bus the command line asks for.</summary>
    /// <param name="result">The parse result.</param>
    /// <param name="context">The CLI context.</param>
    /// <returns>The bus and its configuration.</returns>
    /// <exception cref="CanException">The bus could not be opened.</exception>
    public (CanBus Bus, BusConfiguration Configuration) Open(ParseResult result, CliContext context)
    {
        var config = Resolve(result, context);
        return (Open(config, context), config);
    }

    /// <summary>Opens a bus, turning an unknown interface and a bad or unknown option into a usage error.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="context">The CLI context.</param>
    /// <returns>The bus.</returns>
    public CanBus Open(BusConfiguration config, CliContext context)
    {
        try
        {
            return context.Registry.Create(config);
        }
        catch (Exception ex) when (ex is CanInterfaceNotImplementedException or CanConfigurationException)
        {
            throw new UsageException(_label == DefaultLabel ? ex.Message : $"{_label}: {ex.Message}", ex);
        }
    }

    private static CanFilter[] ParseFilters(ArgumentResult result)
    {
        var filters = new List<CanFilter>();
        foreach (var token in result.Tokens)
        {
            try
            {
                filters.Add(CanFilter.Parse(token.Value));
            }
            catch (FormatException ex)
            {
                result.AddError(ex.Message);
            }
        }

        return [.. filters];
    }

    private static KeyValuePair<string, object?>[] ParseKeyValues(ArgumentResult result)
    {
        var pairs = new List<KeyValuePair<string, object?>>();
        foreach (var token in result.Tokens)
        {
            var text = token.Value;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                result.AddError($"'{text}' is not key=value (e.g. receive_own_messages=true).");
                continue;
            }

            // The text as given: the backend's typed getters convert it (and name the key in an error when they cannot).
            pairs.Add(new(text[..eq].Trim(), text[(eq + 1)..].Trim()));
        }

        return [.. pairs];
    }
}
