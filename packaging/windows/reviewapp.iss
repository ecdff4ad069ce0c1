; Inno Setup 6 script: reviewapp's Windows installer, made from the PyInstaller bundle.
;
;     python packaging\build.py            (runs iscc when Inno Setup is installed), or
;     iscc /DAppVersion=0.1.0 packaging\windows\reviewapp.iss
;
; Installs dist\reviewapp\ for the current user (no administrator needed; the installer
; offers an install for all users too), a Start menu entry, an optional desktop icon,
; .rvpack files opening in reviewapp, and an uninstaller (Settings > Apps, or the Start
; menu's "Uninstall reviewapp"). Not signed: see packaging/README.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "reviewapp"
#define AppExe "reviewapp.exe"
#define PackExt ".rvpack"
#define PackProgId "reviewapp.rvpack"

[Setup]
; Keep this AppId for every release: it is how an update finds the installed copy.
AppId={{6B0E3B0C-7C1F-4D63-9C8E-2F0D6E5A9B41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The reviewapp developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupIconFile=..\..\resources\icons\reviewapp.ico
OutputDir=..\..\dist
OutputBaseFilename=reviewapp-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\reviewapp\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Review clinical-trial evidence and write briefs"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .rvpack → reviewapp.rvpack → "reviewapp.exe" "%1": a double-clicked pack opens the window,
; which merges it (reviewapp FILE). HKA is the current user's classes, or the machine's for an
; install for all users. Removed on uninstall (uninsdeletevalue / uninsdeletekey).
Root: HKA; Subkey: "Software\Classes\{#PackExt}\OpenWithProgids"; ValueType: string; ValueName: "{#PackProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#PackExt}"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-reviewapp-pack"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#PackProgId}"; ValueType: string; ValueName: ""; ValueData: "reviewapp review pack"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#PackProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#PackProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: "{#PackExt}"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
