using GenRM.Data;
using GenRM.Text;
using GenRM.Text.Jinja;

namespace GenRM.Tests.Text.Jinja;

/// <summary>Broken templates (the published ones, mutated) fail with the interpreter's own errors, never a crash.</summary>
public sealed class JinjaRobustnessTests
{
    static readonly string Folder = TestPaths.Fixtures("chat-templates");

    static readonly string[] Pieces = ["{{", "}}", "{%", "%}", "{#", "#}", "-", "+", "(", ")", "[", "]", "{", "}", "'", "\"", "\\", ".", ",", "|", ":", "=", " is ", " not ", " in ", " if ", " for ", " endfor ", " set ", "1", "0.5", "\n", "x", "\u00e9", "\U0001F600"];

    [Fact]
    public void MutatedTemplatesParseOrFailWithJinjaErrors()
    {
        var sources = Directory.GetFiles(Folder, "*.jinja").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var random = new Random(19);
        ChatMessage[] chat = [ChatMessage.System("s"), ChatMessage.User("u"), ChatMessage.Assistant("<think>t</think>a"), ChatMessage.User("v")];
        int parsed = 0;
        for (int i = 0; i < 3000; i++)
        {
            string source = Mutate(sources[random.Next(sources.Length)], random);
            try
            {
                var template = new JinjaChatTemplate(source, new Dictionary<string, string> { ["bos_token"] = "<s>", ["eos_token"] = "</s>" });
                parsed++;
                template.Render(chat, addGenerationPrompt: i % 2 == 0);
            }
            catch (Exception e) when (e is JinjaException or JinjaRaisedException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"mutant {i} threw {e.GetType().Name}: {e.Message}\n--- template ---\n{source}");
            }
        }
        Assert.InRange(parsed, 1, 2999);
    }

    static string Mutate(string source, Random random)
    {
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            int at = random.Next(source.Length + 1);
            switch (random.Next(3))
            {
                case 0:
                    source = source.Insert(at, Pieces[random.Next(Pieces.Length)]);
                    break;
                case 1:
                    source = source.Remove(Math.Min(at, source.Length), Math.Min(random.Next(1, 6), source.Length - Math.Min(at, source.Length)));
                    break;
                default:
                    source = source[..at];
                    break;
            }
        }
        return source;
    }
}
