using System.CommandLine;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Runtime;

namespace GenRM.Cli;

/// <summary>
/// <c>genrm lora merge --model DIR --adapter DIR --out DIR [--dtype D] [--device D]</c>: folds a LoRA
/// adapter in PEFT's layout into its base model (W += (α / r) B A) and writes a plain Hugging Face
/// model folder, tokenizer files included.
/// </summary>
internal static class LoraCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The base model's Hugging Face folder.", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "The adapter folder (adapter_config.json, adapter_model.safetensors).", Required = true };
        var output = new Option<string>("--out") { Description = "The merged model folder to write.", Required = true };
        var dtype = DeviceOptions.DType();
        var device = DeviceOptions.Device(defaultValue: "cpu");
        var merge = new Command("merge", "Merge a LoRA adapter into its base model and write a full model folder.") { model, adapter, output, dtype, device };
        merge.SetAction(parsed => Merge(parsed.GetValue(model)!, parsed.GetValue(adapter)!, parsed.GetValue(output)!, parsed.GetValue(dtype)!, parsed.GetValue(device)!,
            parsed.InvocationConfiguration.Output));
        return new Command("lora", "LoRA adapters in PEFT's layout.") { merge };
    }

    static int Merge(string modelFolder, string adapterFolder, string outputFolder, string dtypeName, string deviceName, TextWriter output)
    {
        if (Path.GetFullPath(outputFolder) == Path.GetFullPath(modelFolder))
            throw new UsageException("--out must differ from --model: the base model folder is not overwritten.");
        var device = TorchRuntime.ResolveDevice(deviceName);
        using var loaded = PretrainedModel.Load(modelFolder, device, TorchRuntime.ResolveDType(dtypeName, device));
        LoraAdapters adapters = LoraAdapterFiles.Load(adapterFolder, loaded.Model);
        output.WriteLine($"adapter   {adapterFolder}: rank {adapters.Config.Rank}, alpha {adapters.Config.Alpha}, {adapters.ProjectionCount} projections ({string.Join(", ", adapters.Config.TargetModules)})");
        loaded.Model.MergeLora();
        PretrainedModel.Save(loaded.Model, outputFolder, PretrainedModel.TokenizerFiles(modelFolder));
        output.WriteLine($"merged    {outputFolder}");
        return CommandRunner.Success;
    }
}
