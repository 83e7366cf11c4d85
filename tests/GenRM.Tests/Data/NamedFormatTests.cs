using GenRM.Data;

namespace GenRM.Tests.Data;

public sealed class NamedFormatTests
{
    [Fact]
    public void TrlWithTextFieldsMakesOneUserTurnPrompt()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "trl.jsonl", """{"prompt": "What is 2+2?", "chosen": "4", "rejected": "5"}""");

        PreferenceDataSet data = PreferenceReader.Read(path);

        Assert.Equal("trl", data.Format);
        Assert.True(data.FormatDetected);
        PreferencePair pair = Assert.Single(data.Pairs);
        Assert.Equal<ChatMessage>([ChatMessage.User("What is 2+2?")], pair.Prompt);
        Assert.Equal(("4", "5"), (pair.Chosen, pair.Rejected));
        Assert.Equal(path, pair.Source);
        Assert.Equal(16, pair.Id.Length);
    }

    [Fact]
    public void UltraFeedbackMessageListsTakeSharedTurnsAsPromptAndScoresAsMargin()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "uf.jsonl",
            """{"prompt": "Name a colour.", "prompt_id": "p1", "chosen": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Blue."}], "rejected": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Seven."}], "score_chosen": 8.0, "score_rejected": 5.5}""");

        PreferencePair pair = Assert.Single(PreferenceReader.Read(path).Pairs);

        Assert.Equal<ChatMessage>([ChatMessage.User("Name a colour.")], pair.Prompt);
        Assert.Equal(("Blue.", "Seven."), (pair.Chosen, pair.Rejected));
        Assert.Equal(2.5, pair.Margin);
    }

    [Fact]
    public void ConversationalPairsKeepSystemAndEarlierTurnsInThePrompt()
    {
        using var folder = new TempDirectory();
        const string Shared = """{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Capital of France?"}""";
        string path = TestFiles.Lines(folder, "multi.jsonl",
            $$"""{"chosen": [{{Shared}}, {"role": "assistant", "content": "Paris."}], "rejected": [{{Shared}}, {"role": "assistant", "content": "Lyon."}]}""",
            """{"prompt": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}], "chosen": [{"role": "assistant", "content": "4"}], "rejected": [{"role": "assistant", "content": "5"}]}""");

        PreferenceDataSet data = PreferenceReader.Read(path);

        Assert.Equal("trl", data.Format);
        Assert.Equal<ChatMessage>([ChatMessage.System("Be brief."), ChatMessage.User("Hi"), ChatMessage.Assistant("Hello."), ChatMessage.User("Capital of France?")], data.Pairs[0].Prompt);
        Assert.Equal(("Paris.", "Lyon."), (data.Pairs[0].Chosen, data.Pairs[0].Rejected));
        Assert.Equal<ChatMessage>([ChatMessage.System("Be brief."), ChatMessage.User("2+2?")], data.Pairs[1].Prompt);
        Assert.Equal(("4", "5"), (data.Pairs[1].Chosen, data.Pairs[1].Rejected));
        Assert.Empty(data.Report.Problems);
    }

    [Fact]
    public void GzipJsonLinesAndJsonArraysReadTheSamePairsAsPlainJsonLines()
    {
        using var folder = new TempDirectory();
        string[] lines =
        [
            """{"prompt": "a", "chosen": "b", "rejected": "c"}""",
            """{"prompt": "d", "chosen": "e", "rejected": "f"}""",
        ];
        var plain = PreferenceReader.Read(TestFiles.Lines(folder, "plain.jsonl", lines)).Pairs;
        var gzip = PreferenceReader.Read(TestFiles.GzipLines(folder, "any-name.gz", lines)).Pairs;
        var array = PreferenceReader.Read(TestFiles.Text(folder, "array.json", "[\n" + string.Join(",\n", lines) + "\n]")).Pairs;

        Assert.Equal(2, plain.Length);
        Assert.Equal(plain.Select(p => (p.Id, p.Chosen)), gzip.Select(p => (p.Id, p.Chosen)));
        Assert.Equal(plain.Select(p => (p.Id, p.Chosen)), array.Select(p => (p.Id, p.Chosen)));
    }

    [Fact]
    public void RewardBenchKeepsItsIdsAndSubsets()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "rb.jsonl",
            """{"prompt": "Hi", "chosen": "Hello!", "chosen_model": "x", "rejected": "Go away.", "rejected_model": "y", "subset": "alpacaeval-easy", "id": 30}""",
            """{"prompt": "Code?", "chosen": "def f(): pass", "rejected": "def f() pass", "subset": "hep-python", "id": "31"}""");

        PreferenceDataSet data = PreferenceReader.Read(path);

        Assert.Equal("rewardbench", data.Format);
        Assert.Equal(["30", "31"], data.Pairs.Select(p => p.Id));
        Assert.Equal(["alpacaeval-easy", "hep-python"], data.Pairs.Select(p => p.Subset));
        Assert.Equal([KeyValuePair.Create("alpacaeval-easy", 1), KeyValuePair.Create("hep-python", 1)], data.SubsetCounts());
    }

    [Fact]
    public void HhRlhfPromptIsTheSharedTranscriptUpToTheLastAssistantTurn()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "hh.jsonl",
            """{"chosen": "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: How are you?\n\nAssistant: I am well, thanks.", "rejected": "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: How are you?\n\nAssistant: I am not telling you."}""");

        PreferenceDataSet data = PreferenceReader.Read(path);

        Assert.Equal("hh-rlhf", data.Format);
        PreferencePair pair = Assert.Single(data.Pairs);
        Assert.Equal<ChatMessage>([ChatMessage.User("Hi"), ChatMessage.Assistant("Hello!"), ChatMessage.User("How are you?")], pair.Prompt);
        Assert.Equal("I am well, thanks.", pair.Chosen);
        Assert.Equal("I am not telling you.", pair.Rejected);
    }

    [Fact]
    public void LlmBarLabelTwoMakesTheSecondOutputChosen()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Text(folder, "llmbar.json", """
            [
              {"input": "Say hi.", "output_1": "Hi!", "output_2": "Bye.", "label": 1},
              {"input": "Say bye.", "output_1": "Hi!", "output_2": "Bye.", "label": 2}
            ]
            """);

        PreferenceDataSet data = PreferenceReader.Read(path, new PreferenceReadOptions { Subset = "llmbar-natural" });

        Assert.Equal("llmbar", data.Format);
        Assert.Equal([("Hi!", "Bye.", true), ("Bye.", "Hi!", false)], data.Pairs.Select(p => (p.Chosen, p.Rejected, p.ChosenWasFirst!.Value)));
        Assert.All(data.Pairs, p => Assert.Equal("llmbar-natural", p.Subset));
    }

    [Fact]
    public void HumanEvalPackPairsCanonicalOverBuggyWithTheHepSubset()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "python.jsonl",
            """{"task_id": "Python/3", "prompt": "def f(x):\n", "canonical_solution": "    return x\n", "buggy_solution": "    return -x\n", "bug_type": "operator misuse", "test": "assert f(1) == 1"}""");

        PreferencePair pair = Assert.Single(PreferenceReader.Read(path).Pairs);

        Assert.Equal(("Python/3", "hep-python"), (pair.Id, pair.Subset));
        Assert.Equal<ChatMessage>([ChatMessage.User("def f(x):\n")], pair.Prompt);
        Assert.Equal(("    return x\n", "    return -x\n"), (pair.Chosen, pair.Rejected));
    }

    [Fact]
    public void GenericMappingReadsOtherLayoutsAndHonoursTheLabel()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "custom.jsonl",
            """{"question": "Q1", "answer_a": "first", "answer_b": "second", "winner": "B", "uid": "u1", "category": "c"}""",
            """{"question": "Q2", "answer_a": "first", "answer_b": "second", "winner": 1, "uid": "u2", "category": "c"}""");
        var mapping = FieldMapping.Parse("prompt=question, chosen=answer_a, rejected=answer_b, label=winner, id=uid, subset=category");

        PreferenceDataSet data = PreferenceReader.Read(path, new PreferenceReadOptions { Mapping = mapping });

        Assert.Equal("generic", data.Format);
        Assert.Equal([("u1", "second", "first", false), ("u2", "first", "second", true)],
            data.Pairs.Select(p => (p.Id, p.Chosen, p.Rejected, p.ChosenWasFirst!.Value)));
        Assert.Equal(mapping, FieldMapping.FromJson("""{"prompt": "question", "chosen": "answer_a", "rejected": "answer_b", "label": "winner", "id": "uid", "subset": "category"}"""));
    }

    [Fact]
    public void AnExplicitFormatOverridesDetectionAndReportsItsMissingFields()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "trl.jsonl", """{"prompt": "a", "chosen": "b", "rejected": "c"}""");

        PreferenceDataSet data = PreferenceReader.Read(path, PreferenceReadOptions.Lenient with { Format = "rewardbench" });

        Assert.Equal(("rewardbench", false), (data.Format, data.FormatDetected));
        Assert.Empty(data.Pairs);
        DataProblem problem = Assert.Single(data.Report.Problems);
        Assert.Equal((DataProblemKind.MissingField, "line 1"), (problem.Kind, problem.Location));
        Assert.Contains("'id'", problem.Message, StringComparison.Ordinal);
    }
}
