namespace CanUdpMulticast.Cli;

/// <summary>Key presses from the terminal.</summary>
internal sealed class ConsoleKeySource : IKeySource
{
    public bool TryReadKey(out char key)
    {
        try
        {
            if (Console.KeyAvailable)
            {
                key = Console.ReadKey(intercept: true).KeyChar;
                return true;
            }
        }
        catch (InvalidOperationException)
        {
            // No console attached after all.
        }

        key = default;
        return false;
    }
}
