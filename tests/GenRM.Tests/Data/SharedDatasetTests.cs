using System.Text.Json;
using GenRM.Data;

namespace GenRM.Tests.Data;

/// <summary>The real files in ../shared/datasets, read in place (never copied into the repository).</summary>
public sealed class SharedDatasetTests
{
    [SkippableTheory]
    [InlineData("llmbar/Natural/dataset.json", "llmbar-natural", 100)]
    [InlineData("llmbar/Adversarial/Neighbor/dataset.json", "llmbar-adver-neighbor", 134)]
    [InlineData("llmbar/Adversarial/GPTInst/dataset.json", "llmbar-adver-GPTInst", 92)]
    [InlineData("llmbar/Adversarial/GPTOut/dataset.json", "llmbar-adver-GPTOut", 47)]
    [InlineData("llmbar/Adversarial/Manual/dataset.json", "llmbar-adver-manual", 46)]
    public void LlmBarSetsHaveTheirPublishedSizesAndChosenIsTheLabelledOutput(string file, string subset, int count)
    {
        string path = Path.Combine(TestPaths.RequireSharedDatasets(), file);

        PreferenceDataSet data = PreferenceReader.Read(path, new PreferenceReadOptions { Subset = subset });

        Assert.Equal("llmbar", data.Format);
        Assert.Equal(count, data.Pairs.Length);
        Assert.Empty(data.Report.Problems);
        Assert.All(data.Pairs, p => Assert.Equal(subset, p.Subset));
        using JsonDocument raw = JsonDocument.Parse(File.ReadAllBytes(path));
        var records = raw.RootElement.EnumerateArray().ToList();
        for (int i = 0; i < count; i++)
        {
            int label = records[i].GetProperty("label").GetInt32();
            Assert.Equal(records[i].GetProperty(label == 1 ? "output_1" : "output_2").GetString(), data.Pairs[i].Chosen);
            Assert.Equal(records[i].GetProperty(label == 1 ? "output_2" : "output_1").GetString(), data.Pairs[i].Rejected);
            Assert.Equal(label == 1, data.Pairs[i].ChosenWasFirst);
        }
    }

    [SkippableTheory]
    [InlineData("cpp"), InlineData("go"), InlineData("java"), InlineData("js"), InlineData("python"), InlineData("rust")]
    public void EachHumanEvalPackLanguageGives164PairsInItsHepSubset(string language)
    {
        string path = Path.Combine(TestPaths.RequireSharedDatasets(), "humanevalpack", language + ".jsonl");

        PreferenceDataSet data = PreferenceReader.Read(path);

        Assert.Equal("humanevalpack", data.Format);
        Assert.Equal(164, data.Pairs.Length);
        Assert.Empty(data.Report.Problems);
        Assert.All(data.Pairs, p => Assert.Equal("hep-" + language, p.Subset));
        Assert.Equal(164, data.Pairs.Select(p => p.Id).Distinct().Count());
    }

    [SkippableFact]
    public void HhRlhfHarmlessTestGives2312PairsAndReportsItsFourEmptyChosenResponses()
    {
        string path = Path.Combine(TestPaths.RequireSharedDatasets(), "hh-rlhf", "harmless-base-test.jsonl.gz");

        PreferenceDataSet data = PreferenceReader.Read(path);

        Assert.Equal("hh-rlhf", data.Format);
        Assert.Equal(2312, data.Pairs.Length);
        Assert.All(data.Pairs, p => Assert.True(p.Prompt.Length > 0 && p.Prompt[0].Role == ChatMessage.UserRole && p.Prompt[^1].Role == ChatMessage.UserRole));
        Assert.All(data.Pairs, p => Assert.All(p.Prompt, m => Assert.NotEmpty(m.Content)));
        Assert.All(data.Pairs, p => Assert.False(string.IsNullOrWhiteSpace(p.Rejected)));
        // The published file has four transcripts whose chosen last turn is empty ("\n\nAssistant: "):
        // they are kept (as RewardBench-style evaluation keeps every row) and reported.
        var empty = data.Pairs.Select((p, i) => (Pair: p, Line: i + 1)).Where(x => string.IsNullOrWhiteSpace(x.Pair.Chosen)).Select(x => x.Line);
        Assert.Equal([87, 517, 926, 1104], empty);
        Assert.Equal([87L, 517L, 926L, 1104L], data.Report.Problems.Where(p => p.Kind == DataProblemKind.EmptyResponse).Select(p => p.Number));
        Assert.True(data.Report.HasNoErrors);

        PreferenceDataSet strict = PreferenceReader.Read(path, new PreferenceReadOptions { OnSuspectPair = SuspectPairPolicy.Skip });
        Assert.Equal(2308, strict.Pairs.Length);
        Assert.Equal(4, strict.Report.ItemsSkipped);
        Assert.All(strict.Pairs, p => Assert.False(string.IsNullOrWhiteSpace(p.Chosen)));
    }
}
