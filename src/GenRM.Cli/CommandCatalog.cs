using System.CommandLine;

namespace GenRM.Cli;

/// <summary>Every subcommand of <c>genrm</c>, in the order help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return ReproduceCommand.Create();
        yield return EvalCommand.Create();
        yield return InfoCommand.Create();
        yield return DataCommand.Create();
        yield return PretrainCommand.Create();
        yield return SweepCommand.Create();
        yield return NotebooksCommand.Create();
        yield return ServeCommand.Create();
        yield return DownloadCommand.Create();
        yield return BenchCommand.Create();
    }
}
