using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace IntegrationHub.Architecture.Tests;

/// <summary>
/// Every configuration key the code reads is in the README's configuration table, and every key there is read:
/// the properties of each bound options class (found from the code's <c>AddOptions&lt;T&gt;().Bind(GetSection(…))</c>
/// and <c>GetSection(…).Get&lt;T&gt;()</c> calls, nested classes and lists included, a list index written <c>N</c>)
/// and each direct read (<c>configuration["…"]</c>, <c>GetValue(…)</c>, <c>GetSection(…)</c>, <c>GetConnectionString(…)</c>).
/// </summary>
public sealed partial class ConfigurationDocumentationTests
{
    /// <summary>Keys in the table that a library reads rather than our code (key prefixes).</summary>
    private static readonly string[] ReadByLibraries = ["Serilog:MinimumLevel:"];

    private static readonly Lazy<SourceFile[]> Sources = new(LoadSources);

    [Fact]
    public void OptionsRegistry_WhenDiscoveredFromTheCode_ShouldFindEveryOptionsClassBound()
    {
        // Arrange
        var bindings = BoundOptions();

        // Act
        var sections = bindings.ToDictionary(b => b.Type.Name, b => b.Section, StringComparer.Ordinal);

        // Assert: the discovery itself works (a regex that matched nothing would let every other check pass).
        sections.ShouldContainKeyAndValue("HubAlloyOptions", "Alloy");
        sections.ShouldContainKeyAndValue("AuthOptions", "Auth");
        sections.ShouldContainKeyAndValue("AlloySandboxOptions", "AlloySandbox");
        sections.Count.ShouldBeGreaterThanOrEqualTo(11);
    }

    [Fact]
    public void OptionsProperties_WhenCompared_ShouldEachHaveARowInTheReadmeConfigurationTable()
    {
        // Arrange
        var documented = ReadmeKeys().Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Act
        var missing = OptionsKeys().Where(k => !documented.Contains(Normalize(k))).Distinct().Order(StringComparer.Ordinal).ToList();

        // Assert
        missing.ShouldBeEmpty("bound options properties missing from the README's configuration table");
    }

    [Fact]
    public void DirectReads_WhenCompared_ShouldEachHaveARowInTheReadmeConfigurationTable()
    {
        // Arrange
        var documented = ReadmeKeys().Select(Normalize).ToList();
        var reads = DirectReads();

        // Act
        var missing = reads
            .Where(r => !documented.Any(d => Covers(Normalize(r.Key), d)))
            .Select(r => $"{r.Key} (read in {r.File})")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        // Assert
        reads.Select(r => r.Key).ShouldContain("Hub:Role");
        reads.Select(r => r.Key).ShouldContain("Serilog:ConsoleMinimumLevel");
        missing.ShouldBeEmpty("configuration read directly but missing from the README's configuration table");
    }

    [Fact]
    public void ReadmeRows_WhenCompared_ShouldEachNameAKeyTheHubReads()
    {
        // Arrange
        var bound = OptionsKeys().Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var reads = DirectReads().Select(r => Normalize(r.Key)).ToList();

        // Act
        var stale = ReadmeKeys()
            .Where(k => !bound.Contains(Normalize(k))
                && !reads.Any(r => Covers(r, Normalize(k)) || Covers(Normalize(k), r))
                && !ReadByLibraries.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .ToList();

        // Assert
        stale.ShouldBeEmpty("README configuration rows naming keys nothing reads");
    }

    /// <summary>Whether a documented key covers a read one: the same key, or a key inside a section read whole.</summary>
    private static bool Covers(string read, string documented) =>
        string.Equals(read, documented, StringComparison.OrdinalIgnoreCase)
        || documented.StartsWith(read + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>A list index is written <c>N</c>; a trailing one is dropped (<c>Cors:Origins</c> = <c>Cors:Origins:N</c>).</summary>
    private static string Normalize(string key)
    {
        while (key.EndsWith(":N", StringComparison.Ordinal))
        {
            key = key[..^2];
        }

        return key;
    }

    private static List<string> OptionsKeys() =>
        BoundOptions().SelectMany(b => KeysOf(b.Type, b.Section + ":", depth: 0)).ToList();

    private static IEnumerable<string> KeysOf(Type type, string prefix, int depth)
    {
        depth.ShouldBeLessThan(6, $"options nested too deep (a cycle?) at {prefix}");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var key = prefix + property.Name;
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(propertyType))
            {
                yield return key;
                continue;
            }

            if (typeof(IDictionary).IsAssignableFrom(propertyType) || propertyType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
            {
                throw new NotSupportedException($"{key}: dictionaries in options are not handled here; document the key pattern and extend this test.");
            }

            var element = ElementType(propertyType);
            var (nestedType, nestedPrefix) = element is null ? (propertyType, key + ":") : (Nullable.GetUnderlyingType(element) ?? element, key + ":N:");
            if (IsLeaf(nestedType))
            {
                yield return key + ":N";
                continue;
            }

            foreach (var nested in KeysOf(nestedType, nestedPrefix, depth + 1))
            {
                yield return nested;
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static List<(Type Type, string Section)> BoundOptions()
    {
        var types = new[] { Layers.Application, Layers.Infrastructure, Layers.WebApi, Layers.AlloySandbox }
            .SelectMany(a => a.GetTypes())
            .ToLookup(t => t.Name, StringComparer.Ordinal);
        var bindings = new List<(Type, string)>();
        foreach (var file in Sources.Value)
        {
            foreach (Match match in BindPattern().Matches(file.Text).Concat(GetPattern().Matches(file.Text)))
            {
                var name = match.Groups["type"].Value;
                var candidates = types[name].ToList();
                candidates.Count.ShouldBe(1, $"options class {name} (bound in {file.Path}) should be exactly one type");
                bindings.Add((candidates[0], Resolve(match.Groups["section"].Value, file)));
            }
        }

        return bindings.Distinct().ToList();
    }

    private static List<(string Key, string File)> DirectReads()
    {
        var reads = new List<(string, string)>();
        foreach (var file in Sources.Value)
        {
            reads.AddRange(IndexerPattern().Matches(file.Text).Select(m => (Resolve(m.Groups["key"].Value, file), file.Path)));
            reads.AddRange(GetValuePattern().Matches(file.Text).Select(m => (Resolve(m.Groups["key"].Value, file), file.Path)));
            reads.AddRange(SectionPattern().Matches(file.Text).Select(m => (Resolve(m.Groups["key"].Value, file), file.Path)));
            reads.AddRange(ConnectionStringPattern().Matches(file.Text).Select(m => ("ConnectionStrings:" + Resolve(m.Groups["key"].Value, file), file.Path)));
        }

        return reads;
    }

    /// <summary>A string literal, a constant of the same file, or <c>Type.Constant</c> declared in another.</summary>
    private static string Resolve(string expression, SourceFile file)
    {
        expression = expression.Trim();
        if (expression.StartsWith('"') && expression.EndsWith('"') && expression.Length >= 2)
        {
            return expression[1..^1];
        }

        var parts = expression.Split('.');
        if (parts.Length == 1 && ConstantIn(file, parts[0]) is { } local)
        {
            return local;
        }

        if (parts.Length == 2)
        {
            var owner = Sources.Value.Where(f => Regex.IsMatch(f.Text, $@"\b(class|record|struct)\s+{Regex.Escape(parts[0])}\b"));
            var values = owner.Select(f => ConstantIn(f, parts[1])).OfType<string>().Distinct().ToList();
            if (values.Count == 1)
            {
                return values[0];
            }
        }

        throw new InvalidOperationException(
            $"{file.Path}: cannot resolve the configuration key '{expression}'. Read keys through a string literal or a const string so this test can check them.");
    }

    private static string? ConstantIn(SourceFile file, string name)
    {
        var match = Regex.Match(file.Text, $@"const\s+string\s+{Regex.Escape(name)}\s*=\s*""(?<value>[^""]*)""\s*;");
        return match.Success ? match.Groups["value"].Value : null;
    }

    /// <summary>The backticked keys of the first column of the README's configuration table; <c>`:Sha256`</c> continues the previous key's parent.</summary>
    private static List<string> ReadmeKeys()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var start = Array.FindIndex(readme, l => l.Trim() == "## Configuration");
        start.ShouldBeGreaterThanOrEqualTo(0, "README.md has no '## Configuration' section");
        var keys = new List<string>();
        string? previous = null;
        foreach (var line in readme.Skip(start + 1).TakeWhile(l => !l.StartsWith('#')))
        {
            var cells = line.Trim().Split('|');
            if (cells.Length < 3 || cells[1].Trim() is "Key" || cells[1].Trim().StartsWith("---", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match token in BacktickPattern().Matches(cells[1]))
            {
                var key = token.Groups["key"].Value;
                if (key.StartsWith(':'))
                {
                    previous.ShouldNotBeNull($"README row '{line}' starts with a relative key");
                    key = previous[..previous.LastIndexOf(':')] + key;
                }

                keys.Add(key);
                previous = key;
            }
        }

        keys.Count.ShouldBeGreaterThan(40, "the README's configuration table should have been found and parsed");
        return keys;
    }

    private static SourceFile[] LoadSources()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => new SourceFile(Path.GetRelativePath(src, p), File.ReadAllText(p)))
            .ToArray();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IntegrationHub.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed record SourceFile(string Path, string Text);

    [GeneratedRegex(@"AddOptions<(?<type>\w+)>\(\)\s*\.Bind\(\s*\w+\.GetSection\((?<section>[^()]+)\)\s*\)")]
    private static partial Regex BindPattern();

    [GeneratedRegex(@"GetSection\((?<section>[^()]+)\)\s*\.Get<(?<type>\w+)>\(\)")]
    private static partial Regex GetPattern();

    [GeneratedRegex(@"\b\w*[Cc]onfiguration\s*\[\s*(?<key>[^\]]+?)\s*\]")]
    private static partial Regex IndexerPattern();

    [GeneratedRegex(@"\.GetValue(<[^>]+>)?\(\s*(?<key>""[^""]*""|[\w.]+)\s*[,)]")]
    private static partial Regex GetValuePattern();

    [GeneratedRegex(@"\.GetSection\(\s*(?<key>""[^""]*""|[\w.]+)\s*\)")]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"\.GetConnectionString\(\s*(?<key>""[^""]*""|[\w.]+)\s*\)")]
    private static partial Regex ConnectionStringPattern();

    [GeneratedRegex(@"`(?<key>:?[A-Za-z_][A-Za-z0-9_.:<>-]*)`")]
    private static partial Regex BacktickPattern();
}
