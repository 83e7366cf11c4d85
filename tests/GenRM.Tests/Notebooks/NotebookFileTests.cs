using System.Text.Json;
using System.Text.RegularExpressions;
using GenRM.Notebooks;

namespace GenRM.Tests.Notebooks;

/// <summary>What every committed notebook must be: stripped of outputs, C#, referencing the library from the local feed, with a scale setting.</summary>
public sealed class NotebookFileTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in NotebookFiles.All())
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void TheNotebooksFolderHasNotebooksAndTheLocalFeedConfig()
    {
        Assert.NotEmpty(NotebookFiles.All());
        string config = File.ReadAllText(Path.Combine(NotebookFiles.Folder, "nuget.config"));
        Assert.Contains("value=\".packages\"", config, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void CommittedNotebookHasNoOutputs(string notebook)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookFiles.Folder, notebook)));
        foreach (var (cell, number) in document.RootElement.GetProperty("cells").EnumerateArray().Select((c, i) => (c, i + 1)))
        {
            if (cell.GetProperty("cell_type").GetString() != "code")
                continue;
            Assert.True(cell.GetProperty("outputs").GetArrayLength() == 0, $"{notebook}: cell {number} has outputs; clear them before committing");
            Assert.True(cell.GetProperty("execution_count").ValueKind == JsonValueKind.Null, $"{notebook}: cell {number} has an execution count; clear outputs before committing");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NotebookReferencesTheLibraryFromTheLocalFeedFirstAndHasAScaleSettingAndNoAbsolutePaths(string notebook)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookFiles.Folder, notebook)));
        var code = document.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToList();

        Assert.Contains("#r \"nuget: GenRM.Workbench, *-*\"", code[0], StringComparison.Ordinal);
        Assert.Matches(@"(?m)^var scale = ""(smoke|default|paper)"";", string.Join("\n", code.Take(2)));
        foreach (string source in code)
            Assert.DoesNotMatch(new Regex(@"""/(work|root|home|tmp)/|[A-Z]:\\\\"), source);
    }

    [Fact]
    public void TheScaleSettingIsReplacedOnceAndAMissingOneIsNamed()
    {
        Assert.Equal("var scale = \"smoke\";   // smoke | default\nvar other = \"default\";",
            NotebookRunner.WithScale("var scale = \"default\";   // smoke | default\nvar other = \"default\";", "smoke", "x.ipynb"));
        var e = Assert.Throws<InvalidOperationException>(() => NotebookRunner.WithScale("var size = 3;", "smoke", "x.ipynb"));
        Assert.Contains("x.ipynb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLocalPackageVersionIsAPrereleaseOfTheLibraryThatFollowsItsSources()
    {
        string version = LocalFeed.Version(TestPaths.RepositoryRoot);
        Assert.Matches(@"^0\.1\.0-local\.g[0-9a-f]{10}$", version);
        Assert.Equal(version, LocalFeed.Version(TestPaths.RepositoryRoot));
    }
}
