<#
.SYNOPSIS
    Build perftrack's Windows bundle (dist\perftrack), smoke-test it, and make the setup program
    dist\perftrack-VERSION-setup.exe when Inno Setup 6 is installed.

.DESCRIPTION
    The Windows counterpart of installer/build.sh. A build environment (build\venv by default) gets
    PyInstaller and a fresh, non-editable install of this tree; PyInstaller builds the one-folder
    bundle from installer\perftrack.spec: perftrack.exe (windowed) and perftrack-cli.exe (console).
    The smoke test runs both on a temporary data folder, never the user's. Inno Setup's compiler
    (ISCC.exe) is looked for on PATH and in its usual install folders; without it the bundle is
    built and the setup step is skipped with a message.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
.EXAMPLE
    .\installer\build_windows.ps1 -Venv C:\perftrack-build -NoSmoke
#>
[CmdletBinding()]
param(
    # The build environment, created when missing.
    [string]$Venv = "",
    # Where the bundle (DIST\perftrack) and the setup program go.
    [string]$Dist = "",
    # PyInstaller's work folder.
    [string]$Work = "",
    # Build the bundle only.
    [switch]$NoSmoke,
    [switch]$NoSetup
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
# perftrack prints UTF-8; read it as such, whatever the console's code page.
[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)

$Root = Split-Path -Parent $PSScriptRoot
if (-not $Venv) { $Venv = Join-Path $Root "build\venv" }
if (-not $Dist) { $Dist = Join-Path $Root "dist" }
if (-not $Work) { $Work = Join-Path $Root "build\pyinstaller" }

function Say([string]$Message) { Write-Host "build_windows.ps1: $Message" }

function Invoke-Native {
    # Run a program and stop the build when it fails: PowerShell does not, for native programs.
    param([Parameter(Mandatory)][string]$Program, [string[]]$Arguments = @())
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed (exit $LASTEXITCODE)" }
}

# -- the build environment -----------------------------------------------------------------------
$VenvPython = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VenvPython)) {
    Say "creating the build environment $Venv"
    if (Get-Command py -ErrorAction SilentlyContinue) {
        Invoke-Native py @("-3", "-m", "venv", $Venv)
    } else {
        Invoke-Native python @("-m", "venv", $Venv)
    }
    Invoke-Native $VenvPython @("-m", "pip", "install", "-q", "--upgrade", "pip")
}
Invoke-Native $VenvPython @("-c", "import sys; sys.exit(sys.version_info < (3, 11))")
# setuptools does not empty build\lib between builds: a module deleted since would be bundled.
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $Root "build\lib")
# With the PostgreSQL driver (the [postgres] extra): a team database works from the bundle too.
Invoke-Native $VenvPython @("-m", "pip", "install", "-q", "pyinstaller>=6.10,<7", "$Root[postgres]")
# The same version number as last time would otherwise count as installed already.
Invoke-Native $VenvPython @("-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", $Root)
$Version = (& $VenvPython -c "import tomllib, sys; print(tomllib.load(open(sys.argv[1], 'rb'))['project']['version'])" (Join-Path $Root "pyproject.toml")).Trim()
# Windows file versions are four numbers: 1.2.0rc1 becomes 1.2.0.
$NumericVersion = [regex]::Match($Version, '^\d+(\.\d+){0,3}').Value

# -- the bundle ----------------------------------------------------------------------------------
Say "building perftrack $Version into $Dist\perftrack"
New-Item -ItemType Directory -Force $Dist, $Work | Out-Null
Invoke-Native $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", $Dist, "--workpath", $Work, (Join-Path $Root "installer\perftrack.spec"))
$Bundle = Join-Path $Dist "perftrack"
$Files = Get-ChildItem -Recurse -File $Bundle
Say ("bundle: {0:N0} MB in {1} files" -f (($Files | Measure-Object Length -Sum).Sum / 1MB), $Files.Count)

# -- the smoke test ------------------------------------------------------------------------------
if (-not $NoSmoke) {
    $Cli = Join-Path $Bundle "perftrack-cli.exe"
    $Gui = Join-Path $Bundle "perftrack.exe"
    $Tmp = Join-Path ([IO.Path]::GetTempPath()) ("perftrack-smoke-" + [guid]::NewGuid())
    New-Item -ItemType Directory $Tmp | Out-Null
    $env:PERFTRACK_DATA_DIR = Join-Path $Tmp "data"
    try {
        $Got = (& $Cli --version | Out-String).Trim()
        if ($Got -ne "perftrack $Version") { throw "--version said '$Got', expected 'perftrack $Version'" }

        $Db = Join-Path $Tmp "smoke.db"
        $Out = & $Cli --smoke --load-sample-if-empty --db $Db | Out-String
        Write-Host $Out
        if ($LASTEXITCODE -ne 0 -or $Out -notmatch "first paint after") { throw "smoke test: no first paint" }

        $Projects = @((& $Cli projects --json --db $Db | Out-String | ConvertFrom-Json).projects)
        if ($Projects.Count -lt 1) { throw "smoke test: the sample forms were not loaded" }

        $Pdf = Join-Path $Tmp "report.pdf"
        Invoke-Native $Cli @("report", "--db", $Db, "-o", $Pdf) | Out-Null
        if (-not (Test-Path $Pdf) -or (Get-Item $Pdf).Length -eq 0) { throw "smoke test: no report PDF" }

        # The windowed program has no console to print to: it must exit cleanly and leave its log.
        $Run = Start-Process -FilePath $Gui -ArgumentList @("--smoke", "--db", "`"$Db`"") -Wait -PassThru
        $Log = Join-Path $env:PERFTRACK_DATA_DIR "perftrack.log"
        if ($Run.ExitCode -ne 0) { throw "smoke test: perftrack.exe exited with $($Run.ExitCode); see $Log" }
        if (-not ((Test-Path $Log) -and (Select-String -Quiet -Path $Log -Pattern "started"))) {
            throw "smoke test: perftrack.exe wrote no log"
        }
        Say "smoke test passed: $($Projects.Count) sample projects, report.pdf $((Get-Item $Pdf).Length) bytes"
    } finally {
        Remove-Item Env:\PERFTRACK_DATA_DIR
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $Tmp
    }
}

# -- the setup program ---------------------------------------------------------------------------
if ($NoSetup) { exit 0 }
$Iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) {
    $Iscc = @(
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    ) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}
if (-not $Iscc) {
    Say "Inno Setup 6 not found (ISCC.exe): the bundle is in $Bundle; no setup program made"
    exit 0
}
Invoke-Native $Iscc @("/Q", "/DAppVersion=$Version", "/DNumericVersion=$NumericVersion",
    "/DBundleDir=$Bundle", "/DOutputDir=$Dist", (Join-Path $Root "installer\perftrack.iss"))
Say "setup program: $(Join-Path $Dist "perftrack-$Version-setup.exe")"
