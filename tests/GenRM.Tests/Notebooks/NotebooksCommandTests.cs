using GenRM.Tests.Cli;

namespace GenRM.Tests.Notebooks;

/// <summary>`genrm notebooks run` refuses bad usage with one line and exit code 2, before running anything.</summary>
public sealed class NotebooksCommandTests
{
    [Fact]
    public void AnUnknownNotebookIsBadUsageNamingTheNotebooksThereAre()
    {
        var (code, _, error) = CliContractTests.Run("notebooks", "run", "--notebook", "no-such-notebook");

        Assert.Equal(2, code);
        Assert.Contains("no notebook no-such-notebook.ipynb", error, StringComparison.Ordinal);
        Assert.Contains("01-preference-data.ipynb", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownScaleIsBadUsage()
    {
        var (code, _, error) = CliContractTests.Run("notebooks", "run", "--scale", "huge");

        Assert.Equal(2, code);
        Assert.Contains("huge", error, StringComparison.Ordinal);
    }
}
