using System.CommandLine;

namespace GenRM.Cli;

/// <summary>Every subcommand of <c>genrm</c>, in the order help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() => new Command[]
    {
        ReproduceCommand.Create(),
        PlanCommand.Create(),
        EvalCommand.Create(),
        InfoCommand.Create(),
        DataCommand.Create(),
        PretrainCommand.Create(),
        SweepCommand.Create(),
        NotebooksCommand.Create(),
        ServeCommand.Create(),
        DownloadCommand.Create(),
        LoraCommand.Create(),
        BenchCommand.Create(),
    }.Select(OptionLimits.Apply);
}
