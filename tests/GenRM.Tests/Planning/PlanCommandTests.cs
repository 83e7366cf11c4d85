using GenRM.Tests.Cli;

namespace GenRM.Tests.Planning;

/// <summary><c>genrm plan</c> and the plan <c>reproduce</c> checks before it loads anything.</summary>
public sealed class PlanCommandTests : IDisposable
{
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void ReproduceRefusesBeforeLoadingWhenAMethodDoesNotFit()
    {
        string folder = temp.File("run");
        var (code, output, error) = CliContractTests.Run("reproduce", "--preset", "smoke", "--workers", "1", "--memory", "1MiB", "--out", folder, "--threads", "1");
        Assert.Equal(1, code);
        Assert.Contains("peak at", output);
        Assert.Contains(" NO ", output);
        Assert.Contains("1.00 MiB", error);
        Assert.StartsWith("genrm: zero-shot needs", error.Trim());
        // Nothing ran: the run folder (written first by a run) does not exist.
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void ReproducePlanPrintsEveryMethodAndRunsNothing()
    {
        string folder = temp.File("run");
        var (code, output, _) = CliContractTests.Run("reproduce", "--preset", "smoke", "--plan", "--memory", "24GiB", "--out", folder);
        Assert.Equal(0, code);
        foreach (string method in GenRM.Reporting.StudyOrder.Methods)
            Assert.Contains($"\n{method} ", output);
        Assert.DoesNotContain(" NO ", output);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void MethodsRunSideBySideEachGetAShareOfTheMemory()
    {
        // The smoke study's largest method needs about 390 MiB: it fits 600 MiB alone, not half of it.
        var (alone, _, _) = CliContractTests.Run("reproduce", "--preset", "smoke", "--workers", "1", "--plan", "--memory", "600MiB");
        Assert.Equal(0, alone);
        var (code, output, error) = CliContractTests.Run("reproduce", "--preset", "smoke", "--workers", "2", "--memory", "600MiB", "--out", temp.File("shared"));
        Assert.Equal(1, code);
        Assert.Contains("a 1/2 share: 2 methods run at once", output);
        Assert.Contains("nothing was loaded", error);
    }

    [Fact]
    public void PlanReadsOnlyConfigJson()
    {
        // A folder holding config.json and no weights at all.
        string model = temp.File("model");
        Directory.CreateDirectory(model);
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "data", "miniworld", "default", "config.json"), Path.Combine(model, "config.json"));
        var (code, output, _) = CliContractTests.Run("plan", "--preset", "smoke", "--model", model, "--memory", "8GiB", "--lora-rank", "4", "--checkpointing", "--methods", "genrm,star-dpo");
        Assert.Equal(0, code);
        Assert.Contains("1,075,840 parameters", output);
        Assert.Contains("LoRA r=4 on q_proj,v_proj", output);
        Assert.Contains("checkpointing on", output);
        Assert.Contains("\nstar-dpo ", output);
        Assert.DoesNotContain("\nzero-shot ", output);
    }

    [Fact]
    public void ThePaperPresetFitsOne80GiBGpuWithLoraOnLlama31And8BAndNotWithout()
    {
        // Llama-3.1-8B-Instruct's config.json alone (bf16, 128,256-entry vocabulary), the preset's LoRA r=16 on every projection and checkpointing.
        string model = TestPaths.Fixtures("llama-3.1-8b-instruct");
        var (code, output, _) = CliContractTests.Run("plan", "--preset", "paper", "--model", model, "--memory", "80GiB", "--dtype", "bf16");
        Assert.Equal(0, code);
        Assert.Contains("8,030,261,248 parameters", output);
        Assert.Contains("LoRA r=16 on q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj", output);
        var rows = output.Split('\n').Where(line => GenRM.Reporting.StudyOrder.Methods.Any(m => line.StartsWith(m + " ", StringComparison.Ordinal)))
            .ToDictionary(line => line.Split(' ')[0], line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(GenRM.Reporting.StudyOrder.Methods.Length, rows.Count);
        foreach (var (method, cells) in rows)
        {
            // From the end: fits without LoRA, that peak (number and unit), max length, max batch, fits with LoRA.
            Assert.True(cells[^6] == "yes", $"{method} does not fit with LoRA: {string.Join(' ', cells)}");
            bool trains = GenRM.Planning.MethodWorkloads.Trains(method);
            Assert.Equal(trains ? "NO" : "yes", cells[^1]);
        }
    }

    [Theory]
    [InlineData("missing", "no such model folder")]
    [InlineData("empty", "config.json not found")]
    public void AModelFolderWithoutConfigIsBadInput(string which, string message)
    {
        string model = temp.File(which);
        if (which == "empty") Directory.CreateDirectory(model);
        var (code, _, error) = CliContractTests.Run("plan", "--model", model, "--memory", "8GiB");
        Assert.Equal(1, code);
        Assert.Contains(model, error);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("--memory", "80 gigs", "--memory")]
    [InlineData("--lora-rank", "0", "--lora-rank")]
    [InlineData("--lora-targets", "lm_head", "lm_head")]
    public void BadOptionsAreBadInput(string option, string value, string named)
    {
        string[] args = option == "--lora-targets" ? ["plan", "--preset", "smoke", "--lora-rank", "2", option, value] : ["plan", "--preset", "smoke", option, value];
        var (code, _, error) = CliContractTests.Run(args);
        Assert.Equal(1, code);
        Assert.Contains(named, error);
    }
}
