// swift-tools-version:6.0
// The fuzzing harness for costper's readers, a package of its own so that the main Package.swift
// stays untouched. Build and run it with scripts/fuzz (libFuzzer + AddressSanitizer):
//   swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import PackageDescription

let package = Package(
    name: "CostperFuzz",
    dependencies: [.package(name: "costper", path: "..")],
    targets: [
        .executableTarget(
            name: "CostperFuzz",
            dependencies: [.product(name: "CostperCore", package: "costper"), .product(name: "CostperSite", package: "costper"),
                           .product(name: "Gzip", package: "costper")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
