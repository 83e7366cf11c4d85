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
        // bf16's cost on the CPU, with the advice where it is a fallback (about 36x on an AVX2-only CPU).
        string bf16 = output.Split('\n').Single(l => l.StartsWith("bf16 on CPU    products ", StringComparison.Ordinal));
        Assert.Equal(GenRM.Runtime.CpuBf16.SlowdownOverFp32 > GenRM.Runtime.CpuBf16.WarnAbove, bf16.Contains("use float32", StringComparison.Ordinal));
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
