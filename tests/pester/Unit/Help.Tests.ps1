BeforeDiscovery {
    $manifestPath = Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1'
    $exports = @((Import-PowerShellDataFile -Path $manifestPath).FunctionsToExport | ForEach-Object { @{ Name = $_ } })
}

Describe 'about_AibPermissions' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $module = Get-Module -Name AibPermissions
        $aboutPath = Join-Path -Path $module.ModuleBase -ChildPath 'en-US/about_AibPermissions.help.txt'
    }

    It 'ships with the module' {
        Test-Path -LiteralPath $aboutPath | Should -BeTrue
    }

    It 'is found by Get-Help' {
        $help = Get-Help -Name about_AibPermissions | Out-String
        $help | Should -Match 'Azure VM Image'
    }

    It 'explains <_>' -ForEach @('SCENARIOS', 'THE RECIPE', 'IDEMPOTENCY', 'REPLICATION WAITS', 'THE EMULATOR', 'AZ COMPATIBILITY') {
        Get-Content -LiteralPath $aboutPath | Should -Contain $_
    }

    It 'names every scenario the library generates' {
        $text = Get-Content -LiteralPath $aboutPath -Raw
        foreach ($scenario in (InModuleScope -ModuleName AibPermissions { Get-AibScenarioName })) {
            $text | Should -Match "\b$scenario\b"
        }
    }

    It 'fits 80 columns, apart from links' {
        foreach ($line in Get-Content -LiteralPath $aboutPath) {
            if ($line.Trim() -match '^https?://\S+$') { continue }
            $line.Length | Should -BeLessOrEqual 80 -Because "'$line' is too long"
        }
    }
}

Describe 'Examples of <Name>' -Tag 'Unit' -ForEach $exports {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $help = Get-Help -Name $Name -Full
    }

    It 'parses as PowerShell, wrapped lines included' {
        foreach ($example in $help.Examples.Example) {
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput([string]$example.Code, [ref]$null, [ref]$errors)
            @($errors) | Should -BeNullOrEmpty -Because "example code: $($example.Code)"
        }
    }

    It 'reads in an 80-column terminal without being cut' {
        # Get-Help wraps code and remarks at the window edge, mid-word; each line must fit as written.
        $text = Get-Help -Name $Name -Examples | Out-String -Width 400
        $examples = $text.Substring([Math]::Max(0, $text.IndexOf('EXAMPLE 1')))
        foreach ($line in $examples -split "`r?`n") {
            $line.TrimEnd().Length | Should -BeLessOrEqual 80 -Because "'$($line.Trim())' would be cut"
        }
    }

    It 'explains each example in a sentence' {
        foreach ($example in $help.Examples.Example) {
            $remark = ($example.Remarks | Out-String).Trim()
            $remark | Should -Match '[.!?)]$'
        }
    }
}
