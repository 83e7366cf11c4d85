using System.Text.Json;
using GenRM.Data;
using GenRM.Text;
using GenRM.Text.Jinja;
using GenRM.Tests.Text;

namespace GenRM.Tests.Text.Jinja;

/// <summary>
/// Every published chat template under Fixtures/chat-templates renders every fixture chat exactly
/// as jinja2 did with Hugging Face's settings (tools/make_chat_template_reference.py), and raises
/// where jinja2 raised, with the template's own message.
/// </summary>
public sealed class ChatTemplateFixtureTests
{
    static readonly string Folder = TestPaths.Fixtures("chat-templates");

    public static TheoryData<string> Families => new(Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Families))]
    public void RendersLikeJinja2(string family)
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, family + ".json")));
        var root = fixture.RootElement;
        string source = File.ReadAllText(Path.Combine(Folder, root.GetProperty("template").GetString()!));
        var tokens = root.GetProperty("special_tokens").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var clock = FixedClock.Of(root);
        var mismatches = new List<string>();
        int compared = 0;
        foreach (var item in root.GetProperty("cases").EnumerateArray())
        {
            compared++;
            var messages = item.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
            var variables = item.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
            var template = new JinjaChatTemplate(source, tokens, variables, clock, family);
            bool generationPrompt = item.GetProperty("add_generation_prompt").GetBoolean();
            string label = $"case {compared} ({messages.Count} turns, add_generation_prompt={generationPrompt}, {item.GetProperty("variables")})";
            if (item.TryGetProperty("error", out var error))
            {
                try
                {
                    template.Render(messages, generationPrompt);
                    mismatches.Add($"{label}: rendered, but jinja2 raised \"{error.GetString()}\"");
                }
                catch (JinjaRaisedException e) when (e.Message == error.GetString())
                {
                }
                catch (Exception e) when (e is JinjaRaisedException or JinjaException)
                {
                    mismatches.Add($"{label}: raised \"{e.Message}\", jinja2 raised \"{error.GetString()}\"");
                }
                continue;
            }
            string expected = item.GetProperty("expected").GetString()!;
            try
            {
                string actual = template.Render(messages, generationPrompt);
                if (actual != expected)
                    mismatches.Add($"{label}: expected {JsonSerializer.Serialize(expected)}, got {JsonSerializer.Serialize(actual)}");
            }
            catch (Exception e) when (e is JinjaRaisedException or JinjaException)
            {
                mismatches.Add($"{label}: raised \"{e.Message}\"");
            }
        }
        Assert.True(compared >= 40, $"{family}: only {compared} cases");
        Assert.True(mismatches.Count == 0, $"{family}: {mismatches.Count} of {compared} chats differ from jinja2:\n" + string.Join("\n", mismatches.Take(5)));
    }
}
