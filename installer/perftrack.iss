; perftrack's Windows setup program (Inno Setup 6), made by installer\build_windows.ps1:
;
;   ISCC /DAppVersion=0.1.0 /DNumericVersion=0.1.0 /DBundleDir=..\dist\perftrack /DOutputDir=..\dist installer\perftrack.iss
;
; A per-user install that needs no administrator rights: {autopf} is %LOCALAPPDATA%\Programs
; unless the person chooses "install for all users" in the first dialog (then it asks for
; rights and uses Program Files). The user's data, %LOCALAPPDATA%\perftrack (database, evidence
; files, log, font cache), is never touched by setup or uninstall; the uninstaller says so.
;
; Languages: English always. Inno Setup's Simplified Chinese messages are an unofficial
; translation that a default install does not have; when ChineseSimplified.isl is in the
; compiler's Languages folder or beside this script, it is added and Chinese Windows gets it.
; This script's own messages exist in both languages.

#ifndef AppVersion
  #error AppVersion is missing: run ISCC /DAppVersion=x.y.z (build_windows.ps1 passes the version of pyproject.toml)
#endif
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\perftrack"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl "ChineseSimplified.isl"
#endif

[Setup]
; Never change AppId: it is how a new version finds and replaces the old one.
AppId={{FCC920A8-407F-43AC-BE74-1BEF1CB0B341}
AppName=perftrack
AppVersion={#AppVersion}
AppVerName=perftrack {#AppVersion}
AppPublisher=perftrack
AppComments=项目支出绩效目标跟踪与年度自评
VersionInfoVersion={#NumericVersion}
VersionInfoProductName=perftrack
DefaultDirName={autopf}\perftrack
DefaultGroupName=perftrack
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=perftrack-{#AppVersion}-setup
SetupIconFile=..\resources\icons\perftrack.ico
UninstallDisplayIcon={app}\perftrack.exe
UninstallDisplayName=perftrack {#AppVersion}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; A running perftrack holds its files open: close it, update, and offer to start it again.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#ifdef ChineseIsl
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
#endif

[CustomMessages]
english.AppComment=Project performance targets and the year-end self-evaluation
english.DataKept=Your perftrack data was kept:%n%n%1%n%nIt holds your database, evidence files and log. A new installation of perftrack will use it again. Delete that folder yourself if you no longer need it.
#ifdef ChineseIsl
chinesesimplified.AppComment=项目支出绩效目标跟踪与年度自评
chinesesimplified.DataKept=perftrack 的数据已保留，未被删除：%n%n%1%n%n其中有数据库、证明材料和日志。重新安装 perftrack 后会继续使用这些数据。如不再需要，请自行删除该文件夹。
#endif

[Messages]
; Inno's own question says "completely remove … and all of its components": not the data.
english.ConfirmUninstall=Are you sure you want to remove %1?%n%nYour data folder (AppData\Local\perftrack: database, evidence files, log) is kept.
#ifdef ChineseIsl
chinesesimplified.ConfirmUninstall=确定要卸载 %1 吗？%n%n数据文件夹（AppData\Local\perftrack：数据库、证明材料、日志）会保留，不会删除。
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\perftrack"; Filename: "{app}\perftrack.exe"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\perftrack"; Filename: "{app}\perftrack.exe"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\perftrack.exe"; Description: "{cm:LaunchProgram,perftrack}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes exactly what setup installed, and the data folder
; is not among it.

[Code]
function DataFolder(): String;
begin
  { perftrack.paths.data_dir(): platformdirs' user_data_dir("perftrack") on Windows. }
  Result := ExpandConstant('{localappdata}\perftrack');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataFolder()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataFolder()]), mbInformation, MB_OK);
end;
