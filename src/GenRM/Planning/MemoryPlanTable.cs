using System.Globalization;
using System.Text;

namespace GenRM.Planning;

/// <summary>A plan as a plain-text table: one row per method with its peak moment's parts.</summary>
public static class MemoryPlanTable
{
    public static string Format(MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var c = plan.Options.Model;
        var parameters = ParameterInventory.Of(c with { NumLabels = 0 });
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Model: {c.ModelType}, {parameters.Sum(p => p.Count):N0} parameters, {c.NumHiddenLayers} layers, hidden {c.HiddenSize}, heads {c.NumAttentionHeads}/{c.NumKeyValueHeads} (kv), intermediate {c.IntermediateSize}, vocabulary {c.VocabSize}; weights {plan.Options.DType}.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Training: {(plan.Options.Lora is { } lora ? $"{lora} ({ParameterInventory.AdapterParameters(parameters, lora):N0} adapter parameters)" : "full fine-tuning")}; activation checkpointing {(plan.Options.Checkpointing ? "on" : "off")}; attention {plan.Options.Attention.ToString().ToLowerInvariant()}.");
        var s = plan.Settings;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Workload: training batch {s.TrainBatch}, length {s.MaxLength}, judging/sampling batch {s.EvalBatch}, {s.Votes} votes, {s.SamplesPerItem} STaR samples of up to {s.RationaleTokens} tokens.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Memory: {ByteSize.Format(plan.Memory)} ({plan.MemorySource}).");
        text.AppendLine();
        bool adapters = plan.Options.Lora is not null;
        string[] header = ["method", "peak at", "weights", "gradients", "optimizer", "activations", "act. ckpt", "KV cache", "batch", "workspace", "peak", "fits", "max batch", "max length",
            .. adapters ? new[] { "without LoRA", "fits" } : []];
        var rows = plan.Methods.Select(m =>
        {
            var p = m.Peak.Parts;
            string[] cells =
            [
                m.Method, m.Peak.Name, Size(p.Weights), Size(p.Gradients), Size(p.Optimizer), Size(m.ActivationsPlain), Size(m.ActivationsCheckpointed),
                Size(p.KvCache), Size(p.Batch), Size(p.Workspace), ByteSize.Format(p.Total), Fits(p.Total, plan.Memory),
                m.MaxBatch == 0 ? "none" : m.MaxBatch.ToString(CultureInfo.InvariantCulture), m.MaxLength == 0 ? "none" : m.MaxLength.ToString(CultureInfo.InvariantCulture),
            ];
            return m.FullTuningPeak is { } full ? [.. cells, ByteSize.Format(full.Parts.Total), Fits(full.Parts.Total, plan.Memory)] : cells;
        }).ToList();
        int[] widths = [.. header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max())];
        string Line(string[] cells) => string.Join("  ", cells.Select((cell, i) => i < 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd();
        text.AppendLine(Line(header));
        foreach (var row in rows) text.AppendLine(Line(row));
        text.AppendLine();
        text.Append("activations: kept for the backward pass by the training phase without checkpointing; act. ckpt: with it. The peak counts ")
            .Append(plan.Options.Checkpointing ? "act. ckpt" : "activations")
            .AppendLine(". max batch: the training micro-batch (the judging batch for zero-shot methods) that fits at this length; max length: at this batch.");
        if (adapters)
            text.AppendLine("without LoRA: the same method's peak with every weight trained (a second full copy, its gradients and AdamW state), checkpointing as above.");
        return text.ToString();
    }

    static string Size(long bytes) => bytes == 0 ? "-" : ByteSize.Format(bytes);

    static string Fits(long bytes, long memory) => bytes <= memory ? "yes" : "NO";
}
