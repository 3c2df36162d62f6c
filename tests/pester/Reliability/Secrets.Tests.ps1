# Secrets: each token source the module uses (a service principal's client secret, an access
# token) runs with a known value in a child pwsh with every stream on, through successes and
# failures. Every stream, the errors, the native log (Debug), the module's files and the
# emulator's own request log (--verbose) are searched for the value.

Describe 'Known secrets never reach any output' -Tag 'Integration', 'Reliability' {
    BeforeAll {
        $repo = Join-Path -Path $PSScriptRoot -ChildPath '../../..'
        $modulePath = Join-Path -Path $repo -ChildPath 'out/AibPermissions/AibPermissions.psd1'
        $binary = @(Get-ChildItem -Path (Join-Path -Path $repo -ChildPath 'out/AibPermissions/bin') -Recurse -Filter 'aibperm-emulator*' -File)[0].FullName
        $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source
        $statePath = Join-Path -Path $TestDrive -ChildPath 'emulator.json'
        $emulatorLog = Join-Path -Path $TestDrive -ChildPath 'emulator.log'
        $process = Start-Process -FilePath $binary -ArgumentList @('--verbose', '--state-file', $statePath, '--data-dir', (Join-Path -Path $TestDrive -ChildPath 'data')) -RedirectStandardError $emulatorLog -RedirectStandardOutput "$emulatorLog.out" -PassThru
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not (Test-Path -LiteralPath $statePath) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $state = Get-Content -LiteralPath $statePath -Raw | ConvertFrom-Json
        $secret = [string]$state.clientSecret
        $curl = (Get-Command -Name curl -CommandType Application | Select-Object -First 1).Source
        $tokenJson = & $curl --silent --show-error --fail --cacert $state.caCertificatePath `
            --data-urlencode 'grant_type=client_credentials' --data-urlencode "client_id=$($state.clientId)" `
            --data-urlencode "client_secret=$secret" --data-urlencode 'scope=https://management.azure.com/.default' `
            "$($state.authorityHost)/$($state.tenantId)/oauth2/v2.0/token"
        $token = [string](($tokenJson -join '') | ConvertFrom-Json).access_token
        $signature = $token.Split('.')[-1]

        $child = Join-Path -Path $TestDrive -ChildPath 'secrets.ps1'
        Set-Content -LiteralPath $child -Encoding utf8NoBOM -Value @'
param ([string] $ModulePath, [string] $StateFile, [string] $TokenFile)
$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'
$ProgressPreference = 'SilentlyContinue'
Import-Module -Name $ModulePath
$s = Get-Content -LiteralPath $StateFile -Raw | ConvertFrom-Json
$common = @{ SubscriptionId = $s.subscriptionId; ArmEndpoint = $s.endpoint; AuthorityHost = $s.authorityHost; Audience = $s.audience; CaCertificatePath = $s.caCertificatePath }
$module = Get-Module -Name AibPermissions
function Invoke-Steps {
    param ([string] $Tag)
    & $module { param ($sub, $rg) $null = Invoke-AibNative -Operation 'resourceGroup.createOrUpdate' -Request @{ subscriptionId = $sub; resourceGroupName = $rg; location = 'westus2' } } $s.subscriptionId "rg-$Tag"
    $id = New-AibUserAssignedIdentity -Name "id-$Tag" -ResourceGroupName "rg-$Tag" -Verbose -Debug
    $id | Format-List -Property * | Out-String
    $role = New-AibRoleDefinition -Scenario ImageCreation -ResourceGroupName "rg-$Tag" -Verbose -Debug
    $role | Format-List -Property * | Out-String
    $id | New-AibRoleAssignment -RoleDefinitionId $role.Id -ResourceGroupName "rg-$Tag" -ObjectType ServicePrincipal -Verbose -Debug | Format-List -Property * | Out-String
    try { New-AibUserAssignedIdentity -Name "id-$Tag" -ResourceGroupName 'rg-missing' -Verbose -Debug -ErrorAction Stop } catch { $_ | Format-List -Property * -Force | Out-String }
    Get-AibContext | Format-List -Property * | Out-String
}
# 1. Service principal with its client secret, then a wrong secret.
$plain = $s.clientSecret
$sec = [System.Security.SecureString]::new(); foreach ($c in $plain.ToCharArray()) { $sec.AppendChar($c) }
Connect-AibAccount -ServicePrincipal -TenantId $s.tenantId -ApplicationId $s.clientId -ClientSecret $sec @common -Verbose -Debug | Format-List -Property * | Out-String
Invoke-Steps -Tag 'sp'
$wrong = [System.Security.SecureString]::new(); foreach ($c in ($plain + 'x').ToCharArray()) { $wrong.AppendChar($c) }
try {
    Connect-AibAccount -ServicePrincipal -TenantId $s.tenantId -ApplicationId $s.clientId -ClientSecret $wrong @common -Verbose -Debug -ErrorAction Stop | Out-String
    New-AibUserAssignedIdentity -Name 'id-wrong' -ResourceGroupName 'rg-sp' -ErrorAction Stop
} catch { $_ | Format-List -Property * -Force | Out-String }
# 2. An access token, then the same token altered (ARM refuses it).
$token = (Get-Content -LiteralPath $TokenFile -Raw).Trim()
Connect-AibAccount -AccessToken $token @common -Verbose -Debug | Format-List -Property * | Out-String
Invoke-Steps -Tag 'at'
try {
    Connect-AibAccount -AccessToken ($token + 'x') @common -Verbose -Debug -ErrorAction Stop | Out-String
    New-AibUserAssignedIdentity -Name 'id-bad' -ResourceGroupName 'rg-at' -ErrorAction Stop
} catch { $_ | Format-List -Property * -Force | Out-String }
$Error | ForEach-Object { $_ | Format-List -Property * -Force | Out-String; $_.Exception | Format-List -Property * -Force | Out-String }
'SECRETS-CHILD-DONE'
'@
        $tokenFile = Join-Path -Path $TestDrive -ChildPath 'token.txt'
        Set-Content -LiteralPath $tokenFile -Value $token -NoNewline
        $before = @(Get-ChildItem -Path ([System.IO.Path]::GetTempPath()) -File -ErrorAction SilentlyContinue | ForEach-Object FullName)
        $output = (& $pwsh -NoProfile -NonInteractive -File $child -ModulePath $modulePath -StateFile $statePath -TokenFile $tokenFile *>&1 | Out-String)
        Remove-Item -LiteralPath $tokenFile
        # Files the module may have written while the child ran (in the temporary folder).
        $newFiles = @(Get-ChildItem -Path ([System.IO.Path]::GetTempPath()) -File -ErrorAction SilentlyContinue | Where-Object { $_.FullName -notin $before -and $_.Length -lt 10MB })
        Stop-Process -Id $process.Id -ErrorAction SilentlyContinue
        $process.WaitForExit(5000) | Out-Null
        $emulatorText = (Get-Content -LiteralPath $emulatorLog -Raw -ErrorAction SilentlyContinue) + (Get-Content -LiteralPath "$emulatorLog.out" -Raw -ErrorAction SilentlyContinue)
    }

    It 'the child ran both token sources to the end, with log records' {
        $output | Should -Match 'SECRETS-CHILD-DONE'
        $output | Should -Match '\[aibperm\]' -Because 'the native log reached the Debug/Verbose streams'
        $output | Should -Match 'id-sp' -Because 'the service principal steps ran'
        $output | Should -Match 'id-at' -Because 'the access token steps ran'
        $emulatorText | Should -Match 'roleAssignments' -Because 'the emulator logged the requests'
    }

    It 'no stream, error or log of the child holds the client secret or the token' {
        $output.Contains($secret) | Should -BeFalse
        $output.Contains($secret + 'x') | Should -BeFalse
        $output.Contains($token) | Should -BeFalse
        $output.Contains($signature) | Should -BeFalse
    }

    It 'the emulator''s request log holds neither' {
        $emulatorText.Contains($secret) | Should -BeFalse
        $emulatorText.Contains($signature) | Should -BeFalse
    }

    It 'no file written meanwhile in the temporary folder holds either' {
        foreach ($file in $newFiles) {
            $text = [System.IO.File]::ReadAllText($file.FullName)
            $text.Contains($signature) | Should -BeFalse -Because $file.FullName
            if ($file.FullName -ne $statePath) { $text.Contains($secret) | Should -BeFalse -Because $file.FullName }
        }
    }

    It 'the emulator''s state file holds its own test secret only, never a token' {
        $text = Get-Content -LiteralPath $statePath -Raw -ErrorAction SilentlyContinue
        if ($text) { $text.Contains($signature) | Should -BeFalse }
    }
}
