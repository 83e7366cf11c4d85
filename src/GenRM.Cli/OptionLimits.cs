using System.CommandLine;

namespace GenRM.Cli;

/// <summary>
/// Lower bounds that hold for an option wherever a command has it: a value below one is a usage
/// error (exit 2) naming the option, rather than an exception from deep inside (libtorch's thread
/// setter, the vote sampler).
/// </summary>
internal static class OptionLimits
{
    static readonly (string Option, int Minimum, string Meaning)[] Minimums =
    [
        ("--threads", 0, "0 (libtorch's default) or more"),
        ("--votes", 1, "1 or more"),
    ];

    /// <summary>Adds the bounds to <paramref name="command"/>'s options and its subcommands'; returns it.</summary>
    public static Command Apply(Command command)
    {
        foreach (Option option in command.Options)
        {
            foreach (var (name, minimum, meaning) in Minimums.Where(m => m.Option == option.Name))
            {
                option.Validators.Add(result =>
                {
                    if (result.GetValueOrDefault<object?>() is int value && value < minimum)
                        result.AddError($"{name} must be {meaning}; got {value}.");
                });
            }
        }
        foreach (Command subcommand in command.Subcommands)
            Apply(subcommand);
        return command;
    }
}
