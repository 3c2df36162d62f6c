Describe 'Failures people meet with other tools' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        foreach ($group in 'rg', 'RG01', 'rg-a', 'rg-b', 'rg-names') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $curl = (Get-Command -Name curl -CommandType Application | Select-Object -First 1).Source
        $servicePrincipal = (Get-Content -LiteralPath $emulator.StateFilePath -Raw | ConvertFrom-Json).servicePrincipalObjectId

        function Invoke-TestControl {
            # One call to the emulator's control endpoint; returns the parsed answer.
            param (
                [Parameter(Mandatory)] [string] $Path,
                [string] $Method = 'GET',
                [object] $Body
            )
            $arguments = @('--silent', '--show-error', '--fail', '--cacert', $emulator.CaCertificatePath, '-X', $Method)
            if ($null -ne $Body) {
                $arguments += @('-H', 'Content-Type: application/json', '--data-binary', ($Body | ConvertTo-Json -Compress -Depth 5))
            }
            $json = & $curl @arguments "$($emulator.ControlEndpoint)/$Path"
            if ($LASTEXITCODE -ne 0) { throw "control call $Method $Path failed with curl exit code $LASTEXITCODE" }
            if ($json) { ($json -join "`n") | ConvertFrom-Json }
        }

        function Set-TestFault {
            # Replaces the emulator's faults; fields left out take their defaults (off).
            param ([hashtable] $Fault = @{})
            $null = Invoke-TestControl -Path 'faults' -Method 'PUT' -Body $Fault
        }

        function Get-TestRequestCount {
            # ARM requests the emulator has served, token requests left out.
            $counters = Invoke-TestControl -Path 'counters'
            $sum = 0
            foreach ($property in $counters.PSObject.Properties) {
                if ($property.Name -notlike 'token.*' -and $property.Name -notlike 'managedIdentity.*') {
                    $sum += [int]$property.Value
                }
            }
            $sum
        }

        function Get-TestWriteCount {
            # PUT, PATCH and DELETE requests the emulator has served.
            $counters = Invoke-TestControl -Path 'counters'
            $sum = 0
            foreach ($property in $counters.PSObject.Properties) {
                if ($property.Name -match '\.(put|patch|delete)$') { $sum += [int]$property.Value }
            }
            $sum
        }

        function New-TestRoleObject {
            # An Az-shaped role object in the flat format.
            param ([string] $Name, [string] $ResourceGroupName, [string[]] $Actions = @('Microsoft.Compute/images/read'))
            [pscustomobject]@{
                Name             = $Name
                IsCustom         = $true
                Description      = "test role $Name"
                Actions          = $Actions
                NotActions       = @()
                AssignableScopes = @("/subscriptions/$sub/resourceGroups/$ResourceGroupName")
            }
        }

        function Get-TestArmToken {
            # A token of the emulator's service principal, for writes made "by someone else".
            $state = Get-Content -LiteralPath $emulator.StateFilePath -Raw | ConvertFrom-Json
            $form = @(
                '--data-urlencode', 'grant_type=client_credentials',
                '--data-urlencode', "client_id=$($state.clientId)",
                '--data-urlencode', "client_secret=$($state.clientSecret)",
                '--data-urlencode', 'scope=https://management.azure.com/.default'
            )
            $json = & $curl --silent --show-error --fail --cacert $emulator.CaCertificatePath @form "$($state.authorityHost)/$($state.tenantId)/oauth2/v2.0/token"
            (($json -join "`n") | ConvertFrom-Json).access_token
        }
    }

    AfterAll {
        Stop-AibEmulator
    }

    BeforeEach {
        Set-TestFault
    }

    Context 'when a role is assigned to an identity created a moment ago' {
        It 'waits out replication with progress, sends principalType and assigns the role' {
            Set-TestFault @{ replicationDelaySeconds = 3 }
            $script = {
                New-AibUserAssignedIdentity -Name 'uai-a' -ResourceGroupName 'rg' |
                    New-AibRoleAssignment -RoleDefinitionName 'Reader' -ResourceGroupName 'rg'
            }
            $ps = Start-AibRunspaceCommand -Emulator $emulator -Script $script.ToString()
            try {
                Wait-AibCondition -Condition { $ps.InvocationStateInfo.State -ne 'Running' } | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Completed'
                @($ps.Streams.Error).Count | Should -Be 0
                $output = @($ps.EndInvoke($ps.AsyncResult))
                $output.Count | Should -Be 1
                $output[0].RoleDefinitionName | Should -Be 'Reader'
                $waits = @($ps.Streams.Progress | Where-Object { $_.Activity -like 'Assigning role*' -and $_.RecordType -eq 'Processing' })
                $waits.Count | Should -BeGreaterThan 0
            } finally {
                $ps.Dispose()
            }
            $state = Get-EmulatorState -Emulator $emulator
            $identity = @($state.userAssignedIdentities | Where-Object { $_.name -eq 'uai-a' })[0]
            $assignment = @($state.roleAssignments | Where-Object { $_.properties.principalId -eq $identity.properties.principalId })
            $assignment.Count | Should -Be 1
            $assignment[0].properties.principalType | Should -Be 'ServicePrincipal'
        }
    }

    Context 'when the same assignment is made twice' {
        It 'returns the existing assignment with a warning and no error' {
            $identity = New-AibUserAssignedIdentity -Name 'uai-twice' -ResourceGroupName 'rg'
            $first = $identity | New-AibRoleAssignment -RoleDefinitionName 'Reader' -ResourceGroupName 'rg'
            $warnings = $null
            $second = $identity | New-AibRoleAssignment -RoleDefinitionName 'Reader' -ResourceGroupName 'rg' -WarningVariable warnings -WarningAction SilentlyContinue
            $second.RoleAssignmentId | Should -Be $first.RoleAssignmentId
            @($warnings).Count | Should -Be 1
            "$($warnings[0])" | Should -Match 'already existed'
        }
    }

    Context 'when ARM reports RoleAssignmentExists with an unfamiliar message' {
        It 'treats the assignment as existing, matched by code and not by text' {
            Set-TestFault @{ assignmentExistsMessage = 'Die Rollenzuweisung ist bereits vorhanden.' }
            $identity = New-AibUserAssignedIdentity -Name 'uai-exists' -ResourceGroupName 'rg'
            $reader = "/subscriptions/$sub/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
            $other = [guid]::NewGuid().Guid
            $body = @{ properties = @{ roleDefinitionId = $reader; principalId = $identity.PrincipalId; principalType = 'ServicePrincipal' } } | ConvertTo-Json -Compress
            $url = "$($emulator.Endpoint)/subscriptions/$sub/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/$other`?api-version=2022-04-01"
            $token = Get-TestArmToken
            $null = $body | & $curl --silent --show-error --fail --cacert $emulator.CaCertificatePath -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary '@-' $url
            $LASTEXITCODE | Should -Be 0

            $result = $identity | New-AibRoleAssignment -RoleDefinitionName 'Reader' -ResourceGroupName 'rg' -WarningAction SilentlyContinue
            $result.RoleAssignmentId | Should -BeLike "*/roleAssignments/$other"
        }
    }

    Context 'when the role name already exists at another scope' {
        It 'names both scopes and the way out, and creates nothing' {
            $null = New-AibRoleDefinition -Role (New-TestRoleObject -Name 'Image Role' -ResourceGroupName 'rg-a')
            $before = (Get-EmulatorState -Emulator $emulator).roleDefinitions.Count
            $err = $null
            try { New-AibRoleDefinition -Role (New-TestRoleObject -Name 'Image Role' -ResourceGroupName 'rg-b') } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $err.Exception.Message | Should -Match '/resourceGroups/rg-a'
            $err.Exception.Message | Should -Match '/resourceGroups/rg-b'
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            (Get-EmulatorState -Emulator $emulator).roleDefinitions.Count | Should -Be $before
        }
    }

    Context 'when a new role is not yet readable after its creation' {
        It 'waits for it, assigns by id, and the rerun is Unchanged with one role' {
            Set-TestFault @{ roleVisibilityDelaySeconds = 3 }
            $identity = New-AibUserAssignedIdentity -Name 'uai-visible' -ResourceGroupName 'rg-a'
            $roleObject = New-TestRoleObject -Name 'Delayed Role' -ResourceGroupName 'rg-a'
            $runs = foreach ($run in 1, 2) {
                $writes = Get-TestWriteCount
                $role = New-AibRoleDefinition -Role $roleObject
                $warnings = $null
                $assignment = $identity | New-AibRoleAssignment -RoleDefinitionId $role.Id -ResourceGroupName 'rg-a' -WarningVariable warnings -WarningAction SilentlyContinue
                [pscustomobject]@{ Role = $role; Assignment = $assignment; Writes = (Get-TestWriteCount) - $writes; Warnings = @($warnings).Count }
            }
            $runs[0].Writes | Should -Be 2
            $runs[0].Warnings | Should -Be 0
            $runs[1].Writes | Should -Be 0
            $runs[1].Warnings | Should -Be 1
            $runs[1].Role.Id | Should -Be $runs[0].Role.Id
            $runs[1].Assignment.RoleAssignmentId | Should -Be $runs[0].Assignment.RoleAssignmentId
            $runs[0].Assignment.RoleDefinitionId | Should -Be $runs[0].Role.Id
            $state = Get-EmulatorState -Emulator $emulator
            @($state.roleDefinitions | Where-Object { $_.properties.roleName -eq 'Delayed Role' }).Count | Should -Be 1
        }
    }

    Context 'when the role name holds characters special to OData filters' {
        It 'finds exactly the role named <Name>' -ForEach @(
            @{ Name = "O'Brien Role" }, @{ Name = "Role ''quoted''" }, @{ Name = 'Test Role and' },
            @{ Name = 'or Test Role' }, @{ Name = 'Role eq x' }, @{ Name = 'Role (copy)' },
            @{ Name = 'Role a/b' }, @{ Name = 'Role?' }, @{ Name = 'Role #1' }, @{ Name = 'R&D Role' },
            @{ Name = 'C++ Role' }, @{ Name = '100% Role' }, @{ Name = '  Spaced   Role' },
            @{ Name = 'Rôle d''image ü 画像' }, @{ Name = 'Role ,comma' }
        ) {
            $role = New-AibRoleDefinition -Role (New-TestRoleObject -Name $Name -ResourceGroupName 'rg-names')
            # Roles whose names hold this one must not be taken as a second match.
            $null = New-AibRoleDefinition -Role (New-TestRoleObject -Name "$Name copy" -ResourceGroupName 'rg-names')
            $null = New-AibRoleDefinition -Role (New-TestRoleObject -Name "Copy of $Name" -ResourceGroupName 'rg-names')
            $assignment = New-AibRoleAssignment -ObjectId $servicePrincipal -RoleDefinitionName $Name -ResourceGroupName 'rg-names' -ObjectType ServicePrincipal
            $assignment.RoleDefinitionName | Should -BeExactly $Name
            $assignment.RoleDefinitionId | Should -Be $role.Id
        }
    }

    Context 'when the scope is a provider scope without a resource group' {
        It 'accepts it offline and in a role assignment' {
            $scope = "/subscriptions/$sub/providers/Microsoft.DocumentDB/locations/westus2"
            $parsed = InModuleScope -ModuleName AibPermissions -Parameters @{ Scope = $scope } {
                param ($Scope)
                Invoke-AibNative -Operation 'scope_parse' -Request @{ scope = $Scope } -Offline
            }
            $parsed.scope | Should -Be $scope
            $assignment = New-AibRoleAssignment -ObjectId $servicePrincipal -RoleDefinitionName 'Reader' -Scope $scope -ObjectType ServicePrincipal
            $assignment.Scope | Should -Be $scope
        }
    }

    Context 'when one resource group name is a prefix of another' {
        It 'lists at RG01 only what applies to RG01' {
            $principal = [guid]::NewGuid().Guid
            $atRg = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'rg' -ObjectType ServicePrincipal
            $atRg01 = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'RG01' -ObjectType ServicePrincipal
            $lists = InModuleScope -ModuleName AibPermissions -Parameters @{ Sub = $sub; Principal = $principal } {
                param ($Sub, $Principal)
                foreach ($request in @(
                        @{ scope = "/subscriptions/$Sub/resourceGroups/RG01" },
                        @{ scope = "/subscriptions/$Sub/resourceGroups/RG01"; atScope = $true },
                        @{ scope = "/subscriptions/$Sub/resourceGroups/RG01"; principalId = $Principal })) {
                    , @((Invoke-AibNative -Operation 'roleAssignment.list' -Request $request).value)
                }
            }
            foreach ($list in $lists) {
                $mine = @($list | Where-Object { $_.principalId -eq $principal })
                $mine.Count | Should -Be 1
                $mine[0].id | Should -Be $atRg01.RoleAssignmentId
                @($list | Where-Object { $_.id -eq $atRg.RoleAssignmentId }).Count | Should -Be 0
            }
        }
    }

    Context 'when the identity is created without -Location' {
        It 'uses the resource group''s location and says so in Verbose' {
            InModuleScope -ModuleName AibPermissions -Parameters @{ Sub = $sub } {
                param ($Sub)
                $null = Invoke-AibNative -Operation 'resourceGroup.createOrUpdate' -Request @{ subscriptionId = $Sub; resourceGroupName = 'rg-north'; location = 'northeurope' }
            }
            $records = New-AibUserAssignedIdentity -Name 'x-north' -ResourceGroupName 'rg-north' -Verbose 4>&1
            $identity = @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })[0]
            $identity.Location | Should -Be 'northeurope'
            @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match "northeurope.*rg-north" }).Count | Should -Be 1
        }
    }

    Context 'when the identity name is long or starts with a dash' {
        It 'accepts a 40-character name with - and _' {
            $name = 'uai-' + ('a_b-' * 9)
            $name.Length | Should -Be 40
            (New-AibUserAssignedIdentity -Name $name -ResourceGroupName 'rg').Name | Should -Be $name
        }

        It 'accepts 128 characters' {
            $name = 'b' * 128
            (New-AibUserAssignedIdentity -Name $name -ResourceGroupName 'rg').Name | Should -Be $name
        }

        It 'rejects <Why> before any request, naming the rule' -ForEach @(
            @{ Why = '129 characters'; Name = 'c' * 129 },
            @{ Why = 'a leading dash'; Name = '-uai' },
            @{ Why = 'a leading underscore'; Name = '_uai' },
            @{ Why = 'two characters'; Name = 'ab' },
            @{ Why = 'a dot'; Name = 'uai.a' }
        ) {
            $before = Get-TestRequestCount
            $err = $null
            try { New-AibUserAssignedIdentity -Name $Name -ResourceGroupName 'rg' } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.Name,New-AibUserAssignedIdentity'
            $err.Exception.Message | Should -Match '3 to 128 characters'
            Get-TestRequestCount | Should -Be $before
        }
    }

    Context 'when many role writes run in parallel against the write limit' {
        It 'completes every write and sends none before its Retry-After' -Tag 'Throttling' {
            Set-TestFault @{ writesPerMinute = 4 }
            $runners = foreach ($i in 1..3) {
                $script = {
                    foreach ($j in 1..2) {
                        $role = [pscustomobject]@{
                            Name = "Parallel Role $($Arguments.Index)-$j"; IsCustom = $true; Description = 'parallel'
                            Actions = @('Microsoft.Compute/images/read'); NotActions = @()
                            AssignableScopes = @("/subscriptions/$($Arguments.Sub)/resourceGroups/rg-b")
                        }
                        New-AibRoleDefinition -Role $role
                    }
                }
                Start-AibRunspaceCommand -Emulator $emulator -Script $script.ToString() -Arguments @{ Index = $i; Sub = $sub }
            }
            try {
                foreach ($ps in $runners) {
                    Wait-AibCondition -Condition { $ps.InvocationStateInfo.State -ne 'Running' } -LimitSeconds 240 | Should -BeTrue
                    $ps.InvocationStateInfo.State | Should -Be 'Completed'
                    @($ps.Streams.Error).Count | Should -Be 0
                }
            } finally {
                foreach ($ps in $runners) { $ps.Dispose() }
            }
            $state = Get-EmulatorState -Emulator $emulator
            @($state.roleDefinitions | Where-Object { $_.properties.roleName -like 'Parallel Role *' }).Count | Should -Be 6
            $throttling = Invoke-TestControl -Path 'throttling'
            $throttling.throttled | Should -BeGreaterThan 0
            $throttling.earlyRetries | Should -Be 0
        }
    }

    Context 'when the native library is missing' {
        BeforeAll {
            # The pwsh running this test (a dotnet tool install runs as 'dotnet pwsh.dll').
            $pwsh = Join-Path -Path $PSHOME -ChildPath 'pwsh'
            if ($IsWindows) { $pwsh += '.exe' }
            $manifest = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1')).ProviderPath
            $rid = InModuleScope -ModuleName AibPermissions { (Get-AibNativeLibraryPath -ModuleRoot '/m' -Platform 'Linux' -Architecture ([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString()) -Is64BitProcess ([Environment]::Is64BitProcess)).Rid }

            function Invoke-TestImport {
                # Imports the module in a child pwsh and returns its error records as text.
                param ([string] $ModulePath, [string] $NativePath)
                $script = "`$env:AIBPERM_NATIVE_PATH = '$NativePath'; try { `$module = Import-Module -Name '$ModulePath' -ErrorAction Stop -PassThru; 'imported'; 'PATH=' + (& `$module { `$script:AibNativePath }) } catch { 'ID=' + `$_.FullyQualifiedErrorId; 'MSG=' + `$_.Exception.Message; 'COUNT=' + `$Error.Count }"
                & $pwsh -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" }
            }
        }

        It 'names the runtime and the overriding path set in AIBPERM_NATIVE_PATH' {
            $missing = Join-Path -Path $TestDrive -ChildPath 'nowhere/libaibperm.so'
            $lines = Invoke-TestImport -ModulePath $manifest -NativePath $missing
            @($lines -like 'ID=NativeLibraryNotFound,*').Count | Should -Be 1
            ($lines -match '^MSG=') | Should -Match ([regex]::Escape($rid))
            ($lines -match '^MSG=') | Should -Match ([regex]::Escape($missing))
            $lines | Should -Contain 'COUNT=1'
        }

        It 'names the expected path inside a module copied without lib/' {
            $copy = Join-Path -Path $TestDrive -ChildPath 'AibPermissions'
            Copy-Item -LiteralPath (Split-Path -Path $manifest -Parent) -Destination $copy -Recurse
            Remove-Item -LiteralPath (Join-Path -Path $copy -ChildPath 'lib') -Recurse -Force
            $expected = [System.IO.Path]::Combine($copy, 'lib', $rid, 'libaibperm.so')
            $lines = Invoke-TestImport -ModulePath (Join-Path -Path $copy -ChildPath 'AibPermissions.psd1') -NativePath ''
            @($lines -like 'ID=NativeLibraryNotFound,*').Count | Should -Be 1
            ($lines -match '^MSG=') | Should -Match ([regex]::Escape($expected))
            $lines | Should -Contain 'COUNT=1'
        }

        It 'loads the library by full path for this process''s runtime when it is present' {
            $lines = Invoke-TestImport -ModulePath $manifest -NativePath ''
            $lines | Should -Contain 'imported'
            $expected = [System.IO.Path]::Combine((Split-Path -Path $manifest -Parent), 'lib', $rid, 'libaibperm.so')
            $lines | Should -Contain "PATH=$expected"
        }

        It 'picks the <Rid> folder for Windows PowerShell by process architecture' -ForEach @(
            @{ Rid = 'win-x64'; Architecture = 'X64'; Is64 = $true; File = 'aibperm.dll' },
            @{ Rid = 'win-x86'; Architecture = 'X86'; Is64 = $false; File = 'aibperm.dll' },
            @{ Rid = 'win-arm64'; Architecture = 'Arm64'; Is64 = $true; File = 'aibperm.dll' }
        ) {
            $target = InModuleScope -ModuleName AibPermissions -Parameters @{ Architecture = $Architecture; Is64 = $Is64 } {
                param ($Architecture, $Is64)
                Get-AibNativeLibraryPath -ModuleRoot 'C:\Modules\AibPermissions' -Platform 'Windows' -Architecture $Architecture -Is64BitProcess $Is64
            }
            $target.Rid | Should -Be $Rid
            $target.Path | Should -Be ([System.IO.Path]::Combine('C:\Modules\AibPermissions', 'lib', $Rid, $File))
        }
    }

    Context 'when role files use the flat, the Permissions or a mixed format' {
        BeforeAll {
            function ConvertFrom-TestRoleFile {
                param ([string] $Json)
                InModuleScope -ModuleName AibPermissions -Parameters @{ Bytes = [System.Text.Encoding]::UTF8.GetBytes($Json) } {
                    param ($Bytes)
                    Invoke-AibNative -Operation 'role_file_parse' -RequestBytes $Bytes -Offline
                }
            }
            $scopeText = "/subscriptions/$sub/resourceGroups/rg"
        }

        It 'reads the flat and the Permissions format as the same role' {
            $flat = @{ Name = 'Format Role'; Description = 'd'; Actions = @('Microsoft.Compute/images/read'); NotActions = @('Microsoft.Compute/images/delete'); DataActions = @(); NotDataActions = @(); AssignableScopes = @($scopeText) } | ConvertTo-Json
            $blocks = @{ Name = 'Format Role'; Description = 'd'; Permissions = @(@{ Actions = @('Microsoft.Compute/images/read'); NotActions = @('Microsoft.Compute/images/delete'); DataActions = @(); NotDataActions = @() }); AssignableScopes = @($scopeText) } | ConvertTo-Json -Depth 4
            $a = ConvertFrom-TestRoleFile -Json $flat
            $b = ConvertFrom-TestRoleFile -Json $blocks
            ($b.role | ConvertTo-Json -Depth 5) | Should -Be ($a.role | ConvertTo-Json -Depth 5)
            $a.role.actions | Should -Be @('Microsoft.Compute/images/read')
        }

        It 'creates one role from either file through New-AibRoleDefinition' {
            $role = @{ Name = 'Format File Role'; Description = 'd'; AssignableScopes = @($scopeText) }
            $flatPath = Join-Path -Path $TestDrive -ChildPath 'flat.json'
            $blocksPath = Join-Path -Path $TestDrive -ChildPath 'permissions.json'
            ($role + @{ Actions = @('Microsoft.Compute/images/read'); NotActions = @() }) | ConvertTo-Json | Set-Content -LiteralPath $flatPath
            ($role + @{ Permissions = @(@{ Actions = @('Microsoft.Compute/images/read'); NotActions = @() }) }) | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $blocksPath
            $first = New-AibRoleDefinition -InputFile $flatPath
            $writes = Get-TestWriteCount
            $second = New-AibRoleDefinition -InputFile $blocksPath
            $second.Id | Should -Be $first.Id
            Get-TestWriteCount | Should -Be $writes
        }

        It 'rejects a file mixing both, naming both fields' {
            $mixed = @{ Name = 'Format Role'; Description = 'd'; Actions = @('Microsoft.Compute/images/read'); Permissions = @(@{ Actions = @('Microsoft.Compute/images/read') }); AssignableScopes = @($scopeText) } | ConvertTo-Json -Depth 4
            $err = $null
            try { $null = ConvertFrom-TestRoleFile -Json $mixed } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.Exception.Message | Should -Match "'Actions'"
            $err.Exception.Message | Should -Match 'Permissions'
        }
    }

    Context 'when an action names a misspelt provider' {
        It 'rejects <Action> before any request, suggesting <Suggestion>' -ForEach @(
            @{ Action = 'Microsoft.Insight/alertRules/*'; Suggestion = 'Microsoft.Insights' },
            @{ Action = 'Microsoft.Compte/images/read'; Suggestion = 'Microsoft.Compute' },
            @{ Action = 'Microsoft.ManagedIdentities/userAssignedIdentities/read'; Suggestion = 'Microsoft.ManagedIdentity' }
        ) {
            $before = Get-TestRequestCount
            $err = $null
            try { New-AibRoleDefinition -Role (New-TestRoleObject -Name 'Typo Role' -ResourceGroupName 'rg' -Actions @($Action)) } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match ([regex]::Escape("did you mean ${Suggestion}?"))
            Get-TestRequestCount | Should -Be $before
        }
    }
}
