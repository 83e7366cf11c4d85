using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GenRM.Tests.Repository;

/// <summary>
/// The GPU devcontainer cannot be built here (no Docker engine, no GPU), so these tests check what
/// can go stale without one: the JSON parses, its files exist, and the image's CUDA and .NET versions
/// are the ones TorchSharp's CUDA package and global.json ask for.
/// </summary>
public sealed partial class DevContainerTests
{
    // TorchSharp 0.107 (libtorch 2.10) publishes its CUDA build for CUDA 12.8 (TorchSharp-cuda-linux ->
    // libtorch-cuda-12.8-linux-x64). A TorchSharp upgrade must revisit the base image, hence both pins.
    const string TorchSharpVersion = "0.107.0";
    const string TorchSharpCuda = "12.8";

    static string Folder => Path.Combine(TestPaths.RepositoryRoot, ".devcontainer");

    static JsonObject DevContainerJson() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "devcontainer.json")), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        })!.AsObject();

    static string Dockerfile(JsonObject json) => Path.Combine(Folder, json["build"]!["dockerfile"]!.GetValue<string>());

    [Fact]
    public void DevcontainerJsonParsesAndNamesADockerfileThatExists()
    {
        var json = DevContainerJson();
        Assert.True(File.Exists(Dockerfile(json)), $"{Dockerfile(json)} is missing");
        var runArgs = json["runArgs"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        int gpus = runArgs.IndexOf("--gpus");
        Assert.True(gpus >= 0 && runArgs[gpus + 1] == "all", "runArgs must pass --gpus all");
        var extensions = json["customizations"]!["vscode"]!["extensions"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains("ms-dotnettools.csharp", extensions);
        // The notebooks open in VS Code's Jupyter extension with the .NET Interactive kernel (Polyglot Notebooks is deprecated).
        Assert.Contains("ms-toolsai.jupyter", extensions);
    }

    [Fact]
    public void TheBaseImageIsTheCudaThatTorchSharpsCudaPackageTargets()
    {
        var pinned = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "TorchSharp-cuda-linux");
        Assert.Equal(TorchSharpVersion, (string?)pinned.Attribute("Version"));

        string dockerfile = File.ReadAllText(Dockerfile(DevContainerJson()));
        var from = FromLine().Match(dockerfile);
        Assert.True(from.Success, "the Dockerfile has no FROM nvidia/cuda:<version>-... line");
        Assert.StartsWith(TorchSharpCuda + ".", from.Groups["version"].Value + ".", StringComparison.Ordinal);
    }

    [Fact]
    public void TheDockerfileInstallsTheSdkThatGlobalJsonAsksFor()
    {
        string sdk = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "global.json")))!["sdk"]!["version"]!.GetValue<string>();
        string channel = string.Join('.', sdk.Split('.').Take(2));
        Assert.Contains($"--channel {channel}", File.ReadAllText(Dockerfile(DevContainerJson())));
    }

    [Fact]
    public void ThePostCreateCommandBuildsTheCudaSwitchAndRunsInfoOnPathsThatExist()
    {
        string command = DevContainerJson()["postCreateCommand"]!.GetValue<string>();
        Assert.Contains("-p:TorchDevice=cuda", command);
        Assert.EndsWith("-- info", command);
        var paths = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Contains('/') && !t.StartsWith('-')).ToList();
        Assert.NotEmpty(paths);
        foreach (string path in paths)
            Assert.True(Directory.Exists(Path.Combine(TestPaths.RepositoryRoot, path)) || File.Exists(Path.Combine(TestPaths.RepositoryRoot, path)),
                $"postCreateCommand names '{path}', which is not in the repository");
    }

    /// <summary>The single-GPU path: the image pins the vLLM it installs, and the script serves adapters of the paper preset's rank.</summary>
    [Fact]
    public void TheOneGpuScriptServesThePaperPresetsAdaptersOnThePinnedVllm()
    {
        Assert.Matches(@"(?m)^ARG VLLM_VERSION=\d+\.\d+\.\d+\s*$", File.ReadAllText(Dockerfile(DevContainerJson())));
        string script = File.ReadAllText(OneGpuScript);
        var rank = Regex.Match(script, @"--max-lora-rank (?<rank>\d+)");
        Assert.True(rank.Success, "the script does not give vLLM --max-lora-rank");
        Assert.True(int.Parse(rank.Groups["rank"].Value, System.Globalization.CultureInfo.InvariantCulture) >= GenRM.Experiments.Presets.Paper.FineTune.Lora!.Rank,
            "vLLM must accept the paper preset's LoRA rank");
        Assert.Contains("VLLM_ALLOW_RUNTIME_LORA_UPDATING=True", script);
        Assert.Contains("--sampler", script);
    }

    [Fact]
    public void TheOneGpuScriptRefusesMissingArgumentsAndAFolderWithoutConfig()
    {
        var (code, error) = RunScript();
        Assert.Equal(1, code);
        Assert.Contains("MODEL_DIR TRAIN TEST OOD", error);
        string empty = Directory.CreateTempSubdirectory("genrm-one-gpu-").FullName;
        (code, error) = RunScript(empty, "train.jsonl", "test.jsonl", "ood.jsonl", Path.Combine(empty, "out"));
        Assert.Equal(1, code);
        Assert.Contains($"{empty}/config.json: not a Hugging Face model folder", error);
    }

    static string OneGpuScript => Path.Combine(TestPaths.RepositoryRoot, "tools", "paper-one-gpu.sh");

    static (int Code, string Error) RunScript(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(OneGpuScript);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }

    [GeneratedRegex(@"^FROM\s+nvidia/cuda:(?<version>\d+\.\d+(\.\d+)?)-\S+", RegexOptions.Multiline)]
    private static partial Regex FromLine();
}
