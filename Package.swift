// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "costper",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "costper", targets: ["costper"]),
        .library(name: "CostperCore", targets: ["CostperCore", "CostperIngest", "CostperVocabulary", "CostperMoney"]),   // the fuzz harness reads with each stage
        .library(name: "CostperSite", targets: ["CostperSite"]),   // for the fuzz harness (templates)
        .library(name: "Gzip", targets: ["Gzip"]),                 // for the fuzz harness (gzip)
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/ordo-one/TextTable", exact: "0.0.2"),
    ],
    targets: [
        // The system cmark-gfm C library (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // The only Swift code that imports CCmarkGFM.
        .target(name: "GFM", dependencies: ["CCmarkGFM"]),
        // The system libxlsxwriter C library (Debian: libxlsxwriter-dev), for report.xlsx.
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // A workbook as values, and the only Swift file that imports CXLSXWriter (XLSXWriter.swift).
        .target(name: "XLSX", dependencies: ["CXLSXWriter"]),
        // The system libcrypto (OpenSSL 3; Debian: libssl-dev), for SHA-256 only.
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // SHA-256 (the manifest's digests), and the only Swift file that imports CLibCrypto.
        .target(name: "SHA", dependencies: ["CLibCrypto"]),
        // The system zlib (Debian: zlib1g-dev), to read .csv.gz exports.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // gunzip, and the only Swift file that imports CZlib (Gunzip.swift).
        .target(name: "Gzip", dependencies: ["CZlib"]),
        // The ingest's prefetch hint and 64-byte CSV scan (Swift has neither); header only.
        .target(name: "CIngest"),
        // The stages below are one-way: CostperMoney <- CostperVocabulary <- CostperIngest <-
        // CostperCore <- CostperSite <- CostperIO <- costper; the site imports the vocabulary and the
        // ledger, not the readers (docs/architecture.md draws the graph).
        // Exact money (Money, Quotient), its printing, and the error that stops a run.
        .target(name: "CostperMoney"),
        // The vocabulary every stage speaks: categories, outcomes, months, rejects, the input
        // limits, the text escapes and the calendar.
        .target(name: "CostperVocabulary", dependencies: ["CostperMoney"]),
        // Ingest: the strict CSV, JSON Lines and TOML readers, the vocabulary (categories,
        // outcomes, months), tickets, requests and their prices, the foreign exports' adapters.
        .target(
            name: "CostperIngest",
            dependencies: ["CostperMoney", "CostperVocabulary", "CIngest", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // The month's ledger and its analysis: accounts, bills, currency, settings, comparisons,
        // outcomes, alerts, the variance bridge, the warehouse query and the sample month.
        .target(
            name: "CostperCore",
            dependencies: ["CostperMoney", "CostperVocabulary", "CostperIngest", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // Atomic exchange of two folders (renameat2), for publishing the site.
        .target(name: "CFileSystem"),
        // Rendering: the month's report, HTML layout, CSV files, SVG charts, the site, as bytes.
        .target(
            name: "CostperSite",
            dependencies: [
                "CostperCore", "CostperVocabulary", "CostperMoney", "GFM", "XLSX",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The one edge: every file-system call (the input folder and its memory maps, the built-in
        // templates and benchmark data or the folders that replace them, hashing, publication).
        .target(
            name: "CostperIO",
            dependencies: [
                "CostperCore", "CostperIngest", "CostperVocabulary", "CostperMoney", "CostperSite", "CFileSystem", "XLSX", "SHA", "Gzip",
            ],
            plugins: ["EmbedResources"]
        ),
        // Templates/ and data/ built into CostperIO on every build (scripts/embed-resources).
        .plugin(name: "EmbedResources", capability: .buildTool()),
        .executableTarget(
            name: "costper",
            dependencies: [
                "CostperCore", "CostperIngest", "CostperVocabulary", "CostperMoney", "CostperSite", "CostperIO", "GFM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TextTable", package: "TextTable"),
            ]
        ),
        .testTarget(name: "GFMTests", dependencies: ["GFM"]),
        .testTarget(name: "CostperCoreTests", dependencies: ["CostperCore", "CostperIngest", "CostperVocabulary", "CostperMoney"]),
        .testTarget(name: "CostperSiteTests", dependencies: ["CostperSite", "CostperCore", "CostperIngest", "CostperVocabulary", "CostperMoney", "CostperIO", "XLSX"]),
    ],
    swiftLanguageModes: [.v6]
)
