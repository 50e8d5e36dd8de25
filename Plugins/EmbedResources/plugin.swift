// Builds Templates/, data/benchmarks/ and data/prices/ into the binary on every build (plain
// `swift build` included), so that no build ships templates or data older than the checkout:
// scripts/embed-resources writes BuiltIn.swift into the plugin's work folder whenever one of
// those files (or the script) changes.
import Foundation
import PackagePlugin

@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let script = root.appending(path: "scripts/embed-resources")
        var inputs = [script]
        for folder in ["Templates", "data/benchmarks", "data/prices"] {
            let dir = root.appending(path: folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where !name.hasPrefix(".") {
                inputs.append(dir.appending(path: name))
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltIn.swift")
        return [.buildCommand(displayName: "Embedding Templates/ and data/ into CostperIO",
                              executable: URL(fileURLWithPath: "/usr/bin/env"),
                              arguments: ["python3", script.path, "--out", output.path],
                              inputFiles: inputs, outputFiles: [output])]
    }
}
