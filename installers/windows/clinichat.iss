; Inno Setup script for ClinicChat on Windows: a per-user install, no administrator rights.
;
; Build the bundle first, on Windows, then compile this script with Inno Setup 6:
;   py installers\build.py
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installers\windows\clinichat.iss
; The installer lands in dist\ClinicChat-<version>-windows-x64-setup.exe. Pass
; /DAppVersion=1.2.3 to ISCC to override the version, /DDistDir=... for another dist folder.
;
; Where things go: the program in %LOCALAPPDATA%\Programs\ClinicChat ({userpf}), a Start-menu
; entry, an optional desktop icon, and an uninstaller in Settings > Apps. The user's data
; (%LOCALAPPDATA%\ClinicChat: encrypted history, settings, models) is never removed by the
; uninstaller: an encrypted history must survive reinstalling.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist"
#endif
#define AppName "ClinicChat"
#define BundleDir DistDir + "\ClinicChat"
#define AppExe "ClinicChat.exe"

[Setup]
; A fixed id: upgrades replace the installed version instead of adding a second one.
AppId={{6F1D8C2A-3B7E-4C55-9A21-C1A7C4E0B9D3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The ClinicChat developers
AppComments=Private AI chat assistant for clinicians that works offline
; Per user: no UAC prompt, nothing written outside the user's profile.
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#DistDir}
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\clinichat.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running ClinicChat before replacing its files.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle made by installers\build.py (clinichat.spec).
Source: "{#BundleDir}\{#AppExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\clinichat-cli.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; Files of an older version that this one no longer ships must not be loaded by mistake.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Private AI chat assistant for clinicians"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
