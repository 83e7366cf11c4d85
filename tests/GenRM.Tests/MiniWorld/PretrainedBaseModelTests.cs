using GenRM.MiniWorld;

namespace GenRM.Tests.MiniWorld;

/// <summary>What the committed base models (data/miniworld/&lt;preset&gt;, written by <c>genrm pretrain</c>) can do, measured again.</summary>
public sealed class PretrainedBaseModelTests
{
    /// <summary>
    /// The committed card is what the committed weights measure: the same items and seed give the
    /// same card, up to a few items where libtorch's thread count changes a sampled token.
    /// </summary>
    [Theory]
    [InlineData(MiniWorldModel.SmokeName)]
    [InlineData(MiniWorldModel.DefaultName)]
    public void CommittedCardIsWhatTheCommittedModelMeasures(string presetName)
    {
        var preset = MiniWorldModel.Preset(presetName);
        string folder = MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, presetName);
        using var loaded = MiniWorldBaseModel.Load(folder);
        Assert.Equal(preset.Model.HiddenSize, loaded.Model.Config.HiddenSize);
        Assert.Equal(MiniWorldModel.ContextLength, loaded.Model.Config.MaxPositionEmbeddings);

        var committed = BaseModelCard.TryLoad(folder);
        Assert.NotNull(committed);
        var measured = new BaseModelProbe(loaded.Model).Card(presetName, preset.World, preset.ProbeItems, BaseModelProbe.CardSeed);
        Assert.Equal(committed.Measures.Select(m => (m.Name, m.Count, m.Min, m.Max)), measured.Measures.Select(m => (m.Name, m.Count, m.Min, m.Max)));
        foreach (var (was, now) in committed.Measures.Zip(measured.Measures))
            Assert.True(Math.Abs(was.Value - now.Value) <= 3.0 / now.Count, $"{now.Name}: committed {was.Value:P1}, measured {now.Value:P1}");
    }
}
