using System.CommandLine;
using GenRM.Cli;

namespace GenRM.Tests.Cli;

public sealed class CliContractTests
{
    internal static (int Code, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (Command command in CommandCatalog.All())
            root.Subcommands.Add(command);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandRunner.Run(root, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void InfoReportsThatLibtorchLoaded()
    {
        var (code, output, _) = Run("info", "--threads", "1");
        Assert.Equal(0, code);
        Assert.Contains("libtorch       loaded", output);
        Assert.Contains("threads        1 of", output);
        Assert.Contains($"CPU            {GenRM.Runtime.CpuInfo.Current.Model}, ", output);
    }

    [Fact]
    public void UnknownOptionIsBadUsageWithExitCodeTwo()
    {
        var (code, _, error) = Run("info", "--no-such-option");
        Assert.Equal(2, code);
        Assert.Contains("--no-such-option", error);
        Assert.DoesNotContain("   at ", error);
    }
}
