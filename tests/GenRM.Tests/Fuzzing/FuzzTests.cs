using Xunit.Abstractions;
using GenRM.Runtime;

namespace GenRM.Tests.Fuzzing;

/// <summary>
/// Property: whatever bytes a reader is given, it either reads them or refuses them with a
/// <see cref="BadInputException"/>; it never crashes otherwise, hangs, or allocates out of
/// proportion to the file. A short fixed-seed pass here; <c>tools/fuzz.sh</c> runs long random ones.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    static void Fuzz(string target, ITestOutputHelper output)
    {
        TorchRuntime.EnsureLoaded();
        FuzzHarness.AssertClean(FuzzHarness.Run(FuzzTargets.Get(target)), output);
    }

    [Fact]
    public void SafetensorsReaderOnlyRefusesBadFilesClearly() => Fuzz(FuzzTargets.Safetensors, output);

    [Fact]
    public void ShardedIndexReaderOnlyRefusesBadFilesClearly() => Fuzz(FuzzTargets.ShardIndex, output);

    [Fact]
    public void ConfigJsonLoaderOnlyRefusesBadFilesClearly() => Fuzz(FuzzTargets.Config, output);

    [Fact]
    public void TokenizerJsonLoaderOnlyRefusesBadFilesClearly() => Fuzz(FuzzTargets.Tokenizer, output);

    [Fact]
    public void TokenizerConfigLoaderOnlyRefusesBadFilesClearly() => Fuzz(FuzzTargets.TokenizerConfig, output);

    [Fact]
    public void GenerationConfigLoaderOnlyRefusesBadFilesClearly() => Fuzz(FuzzTargets.GenerationConfig, output);

    [Fact]
    public void PreferenceReaderOnlyRefusesBadFilesClearly() => Fuzz(FuzzTargets.PreferenceData, output);

    [Fact]
    public void ExperimentSpecLoaderOnlyRefusesBadFilesClearly() => Fuzz(FuzzTargets.Spec, output);
}
