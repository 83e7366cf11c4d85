using GenRM.Experiments;

namespace GenRM.Tests.Experiments;

/// <summary>Data paths in a spec file: relative ones are read against the file's folder and may not leave it through '..'.</summary>
public sealed class ExperimentSpecPathTests : IDisposable
{
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    string WriteSpec(string train)
    {
        string folder = temp.File("specs");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "study.json");
        var spec = Presets.Paper with { Files = new FileStudy { BaseModel = "/models/llama", Train = train } };
        File.WriteAllText(path, spec.ToJson());
        return path;
    }

    [Theory]
    [InlineData("../secret/train.jsonl")]
    [InlineData("data/../../train.jsonl")]
    [InlineData("..")]
    public void RelativePathLeavingTheSpecFolderIsRefused(string train)
    {
        string path = WriteSpec(train);
        var error = Assert.Throws<BadInputException>(() => ExperimentSpec.Load(path));
        Assert.StartsWith($"{path}: files.train: '{train}' leads outside the spec's folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativePathsAreReadAgainstTheSpecFolderAndAbsoluteOnesKept()
    {
        string path = WriteSpec("data/./train.jsonl");
        var spec = ExperimentSpec.Load(path);
        Assert.Equal(Path.Combine(temp.File("specs"), "data", "train.jsonl"), spec.Files!.Train);
        Assert.Equal("/models/llama", spec.Files.BaseModel);
        Assert.Null(spec.Files.Test);
    }
}
