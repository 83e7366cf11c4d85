using System.Text.Json;
using System.Text.Json.Serialization;
using GenRM.Data;
using Parquet;
using Parquet.Serialization;

namespace GenRM.Tests.Data;

public sealed class ParquetReadingTests
{
    public sealed class Message
    {
        [JsonPropertyName("role")] public string Role { get; set; } = "";
        [JsonPropertyName("content")] public string Content { get; set; } = "";
    }

    public sealed class Row
    {
        [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
        [JsonPropertyName("prompt_id")] public string PromptId { get; set; } = "";
        [JsonPropertyName("chosen")] public List<Message> Chosen { get; set; } = [];
        [JsonPropertyName("rejected")] public List<Message> Rejected { get; set; } = [];
        [JsonPropertyName("score_chosen")] public double ScoreChosen { get; set; }
        [JsonPropertyName("score_rejected")] public double ScoreRejected { get; set; }
    }

    static Message M(string role, string content) => new() { Role = role, Content = content };

    [Fact]
    public async Task ChatMessageColumnsReadBackToTheSamePairsAsJsonLines()
    {
        using var folder = new TempDirectory();
        Row[] rows =
        [
            new() { Prompt = "Name a colour.", PromptId = "p1", ScoreChosen = 9, ScoreRejected = 2,
                    Chosen = [M("user", "Name a colour."), M("assistant", "Blue.")], Rejected = [M("user", "Name a colour."), M("assistant", "Seven.")] },
            new() { Prompt = "And a fruit?", PromptId = "p2", ScoreChosen = 7, ScoreRejected = 6.5,
                    Chosen = [M("system", "Be brief."), M("user", "Name a colour."), M("assistant", "Red."), M("user", "And a fruit?"), M("assistant", "Apple.")],
                    Rejected = [M("system", "Be brief."), M("user", "Name a colour."), M("assistant", "Red."), M("user", "And a fruit?"), M("assistant", "Carrot.")] },
        ];
        string parquet = folder.File("pairs.parquet");
        // One row per row group, so the reader's walk over row groups is exercised too.
        await ParquetSerializer.SerializeAsync(rows, parquet, new ParquetOptions { RowGroupSize = 1 });
        await using (ParquetReader check = await ParquetReader.CreateAsync(parquet))
            Assert.Equal(2, check.RowGroupCount);
        string jsonLines = TestFiles.Lines(folder, "pairs.jsonl", [.. rows.Select(r => JsonSerializer.Serialize(r))]);

        PreferenceDataSet fromParquet = PreferenceReader.Read(parquet);
        PreferenceDataSet fromJson = PreferenceReader.Read(jsonLines);

        Assert.Equal("trl", fromParquet.Format);
        Assert.Empty(fromParquet.Report.Problems);
        Assert.Equal(fromJson.Pairs.Select(p => p with { Source = "" }), fromParquet.Pairs.Select(p => p with { Source = "" }));
        Assert.Equal<ChatMessage>([ChatMessage.System("Be brief."), ChatMessage.User("Name a colour."), ChatMessage.Assistant("Red."), ChatMessage.User("And a fruit?")],
            fromParquet.Pairs[1].Prompt);
        Assert.Equal(("Apple.", "Carrot.", 0.5), (fromParquet.Pairs[1].Chosen, fromParquet.Pairs[1].Rejected, fromParquet.Pairs[1].Margin));
    }
}
