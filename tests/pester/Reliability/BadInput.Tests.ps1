# The bad input catalog: malformed parameters and role files through the staged module against
# the emulator. Each case must end in an ErrorRecord of the expected category whose
# FullyQualifiedErrorId names the field, with no write reaching the emulator.

BeforeDiscovery {
    $sub = '{sub}'
    $rg = "/subscriptions/$sub/resourceGroups/aib-images"
    $good = [ordered]@{
        Name             = 'Reliability role'
        IsCustom         = $true
        Description      = 'reads images'
        Actions          = @('Microsoft.Compute/images/read')
        NotActions       = @()
        AssignableScopes = @($rg)
    }
    function Edit-Role {
        # A copy of the good flat role with some fields replaced ($null removes a field).
        param ([hashtable] $Change)
        $role = [ordered]@{}
        foreach ($k in $good.Keys) { $role[$k] = $good[$k] }
        foreach ($k in $Change.Keys) {
            if ($null -eq $Change[$k]) { $role.Remove($k) } else { $role[$k] = $Change[$k] }
        }
        $role | ConvertTo-Json -Depth 8
    }
    $utf8 = [System.Text.UTF8Encoding]::new($false)

    # Role files: Text is written as UTF-8 without BOM, Bytes as given.
    $fileCases = @(
        @{ Case = 'not JSON at all'; Text = 'Name: reader'; Id = 'INVALID_JSON'; Field = '' }
        @{ Case = 'truncated JSON'; Text = '{ "Name": "x", "Actions": [ '; Id = 'INVALID_JSON'; Field = '' }
        @{ Case = 'an empty file'; Text = ''; Id = 'INVALID_(JSON|ARGUMENT)'; Field = '' }
        @{ Case = 'only whitespace'; Text = "  `n`t "; Id = 'INVALID_(JSON|ARGUMENT)'; Field = '' }
        @{ Case = 'a JSON array'; Text = '[]'; Id = 'INVALID_ARGUMENT'; Field = '' }
        @{ Case = 'a JSON string'; Text = '"role"'; Id = 'INVALID_ARGUMENT'; Field = '' }
        @{ Case = 'JSON null'; Text = 'null'; Id = 'INVALID_ARGUMENT'; Field = '' }
        @{ Case = 'two objects'; Text = '{"Name":"a"} {"Name":"b"}'; Id = 'INVALID_JSON'; Field = '' }
        @{ Case = 'a trailing comma'; Text = '{"Name":"a",}'; Id = 'INVALID_JSON'; Field = '' }
        @{ Case = 'a comment'; Text = "// role`n" + (Edit-Role @{}); Id = 'INVALID_JSON'; Field = '' }
        @{ Case = 'a BOM before broken JSON'; Bytes = [byte[]](0xEF, 0xBB, 0xBF) + $utf8.GetBytes('{"Name": '); Id = 'INVALID_JSON'; Field = '' }
        @{ Case = 'two BOMs'; Bytes = [byte[]](0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF) + $utf8.GetBytes((Edit-Role @{})); Id = 'INVALID_(JSON|UTF8|ARGUMENT)'; Field = '' }
        @{ Case = 'invalid UTF-8'; Bytes = $utf8.GetBytes('{"Name": "') + [byte[]](0xC3, 0x28) + $utf8.GetBytes('"}'); Id = 'INVALID_(UTF8|JSON)'; Field = '' }
        @{ Case = 'a missing Name'; Text = (Edit-Role @{ Name = $null }); Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'an empty Name'; Text = (Edit-Role @{ Name = '' }); Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'a blank Name'; Text = (Edit-Role @{ Name = '   ' }); Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'a numeric Name'; Text = (Edit-Role @{ Name = 42 }); Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'an array Name'; Text = (Edit-Role @{ Name = @('a', 'b') }); Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'a control character in Name'; Text = (Edit-Role @{ Name = "Role`u{0007}bell" }); Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'a newline in Name'; Text = (Edit-Role @{ Name = "Role`nsecond line" }); Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'IsCustom as a string'; Text = (Edit-Role @{ IsCustom = 'yes' }); Id = 'INVALID_ARGUMENT'; Field = 'IsCustom' }
        @{ Case = 'IsCustom false'; Text = (Edit-Role @{ IsCustom = $false }); Id = 'INVALID_ARGUMENT'; Field = 'IsCustom|roleType' }
        @{ Case = 'a numeric Description'; Text = (Edit-Role @{ Description = 7 }); Id = 'INVALID_ARGUMENT'; Field = 'Description' }
        @{ Case = 'Actions as a string'; Text = (Edit-Role @{ Actions = 'Microsoft.Compute/images/read' }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'Actions holding a number'; Text = (Edit-Role @{ Actions = @(1) }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'Actions holding null'; Text = (Edit-Role @{ Actions = @('Microsoft.Compute/images/read', 'x') }).Replace('"x"', 'null'); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'empty Actions'; Text = (Edit-Role @{ Actions = @() }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'an empty action'; Text = (Edit-Role @{ Actions = @('') }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'an action without a provider'; Text = (Edit-Role @{ Actions = @('read') }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'an action with spaces'; Text = (Edit-Role @{ Actions = @('Microsoft.Compute/images /read') }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'an action with a control character'; Text = (Edit-Role @{ Actions = @("Microsoft.Compute/images/read`u{0000}") }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'an action of a misspelt provider'; Text = (Edit-Role @{ Actions = @('Microsoft.Compte/images/read') }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'an action with a non-ASCII letter'; Text = (Edit-Role @{ Actions = @('Microsoft.Compute/imagés/read') }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'an action with a double slash'; Text = (Edit-Role @{ Actions = @('Microsoft.Compute//read') }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'NotActions as an object'; Text = (Edit-Role @{ NotActions = @{ a = 1 } }); Id = 'INVALID_ARGUMENT'; Field = 'NotActions' }
        @{ Case = 'a bad NotAction'; Text = (Edit-Role @{ NotActions = @('nothing') }); Id = 'INVALID_ARGUMENT'; Field = 'NotActions' }
        @{ Case = 'a bad DataAction'; Text = (Edit-Role @{ DataActions = @('Microsoft.Storage') }); Id = 'INVALID_ARGUMENT'; Field = 'DataActions' }
        @{ Case = 'missing AssignableScopes'; Text = (Edit-Role @{ AssignableScopes = $null }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
        @{ Case = 'empty AssignableScopes'; Text = (Edit-Role @{ AssignableScopes = @() }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
        @{ Case = 'the root as assignable scope'; Text = (Edit-Role @{ AssignableScopes = @('/') }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
        @{ Case = 'a scope without a subscription GUID'; Text = (Edit-Role @{ AssignableScopes = @('/subscriptions/not-a-guid') }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
        @{ Case = 'a relative scope'; Text = (Edit-Role @{ AssignableScopes = @("subscriptions/$sub") }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
        @{ Case = 'a scope with an empty segment'; Text = (Edit-Role @{ AssignableScopes = @("/subscriptions/$sub/resourceGroups/") }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
        @{ Case = 'a scope with a control character'; Text = (Edit-Role @{ AssignableScopes = @("/subscriptions/$sub/resourceGroups/a`tb") }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
        @{ Case = 'a second scope malformed'; Text = (Edit-Role @{ AssignableScopes = @($rg, '/subscriptions') }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
        @{ Case = 'an unknown field'; Text = (Edit-Role @{ Actoins = @('Microsoft.Compute/images/read') }); Id = 'INVALID_ARGUMENT'; Field = 'Actoins' }
        @{ Case = 'both formats mixed'; Text = (Edit-Role @{ Permissions = @(@{ Actions = @('Microsoft.Compute/images/read') }) }); Id = 'INVALID_ARGUMENT'; Field = 'Permissions|Actions' }
        @{ Case = 'Permissions as an object'; Text = (Edit-Role @{ Actions = $null; NotActions = $null; Permissions = @{ Actions = @('Microsoft.Compute/images/read') } }); Id = 'INVALID_ARGUMENT'; Field = 'Permissions' }
        @{ Case = 'empty Permissions'; Text = (Edit-Role @{ Actions = $null; NotActions = $null; Permissions = @() }); Id = 'INVALID_ARGUMENT'; Field = 'Permissions' }
        @{ Case = 'a bad action inside Permissions'; Text = (Edit-Role @{ Actions = $null; NotActions = $null; Permissions = @(@{ Actions = @('oops') }) }); Id = 'INVALID_ARGUMENT'; Field = 'Permissions|Actions' }
        @{ Case = 'an unknown field inside Permissions'; Text = (Edit-Role @{ Actions = $null; NotActions = $null; Permissions = @(@{ Actions = @('Microsoft.Compute/images/read'); Extra = 1 }) }); Id = 'INVALID_ARGUMENT'; Field = 'Permissions|Extra' }
        @{ Case = 'an Id that is no GUID'; Text = (Edit-Role @{ Id = 'role-1' }); Id = 'INVALID_ARGUMENT'; Field = 'Id' }
        @{ Case = 'a huge file of bad actions'; Text = (Edit-Role @{ Actions = @(1..20000 | ForEach-Object { "not an action $_" }) }); Id = 'INVALID_ARGUMENT'; Field = 'Actions' }
        @{ Case = 'a huge description and a bad scope'; Text = (Edit-Role @{ Description = ('d' * 3MB); AssignableScopes = @('/nowhere') }); Id = 'INVALID_ARGUMENT'; Field = 'AssignableScopes' }
    )

    $paramCases = @(
        @{ Case = 'an unknown scenario'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = 'ImageCreaton'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Scenario' }
        @{ Case = 'a scenario with a control character'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = "ImageCreation`u{0001}"; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Scenario' }
        @{ Case = 'a subscription that is no GUID'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = 'ImageCreation'; SubscriptionId = 'my-subscription'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'SubscriptionId' }
        @{ Case = 'a GUID with braces and junk'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = 'ImageCreation'; SubscriptionId = '{00000000-0000-0000-0000-00000000000g}'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'SubscriptionId' }
        @{ Case = 'a group name with a slash'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = 'ImageCreation'; ResourceGroupName = 'aib/images' }; Id = 'INVALID_ARGUMENT'; Field = 'ResourceGroupName' }
        @{ Case = 'a group name of 91 characters'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = 'ImageCreation'; ResourceGroupName = ('g' * 91) }; Id = 'INVALID_ARGUMENT'; Field = 'ResourceGroupName' }
        @{ Case = 'a group name ending in a period'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = 'ImageCreation'; ResourceGroupName = 'images.' }; Id = 'INVALID_ARGUMENT'; Field = 'ResourceGroupName' }
        @{ Case = 'an empty role name'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = 'Networking'; ResourceGroupName = 'aib-images'; RoleName = '' }; Id = 'INVALID_ARGUMENT'; Field = 'RoleName' }
        @{ Case = 'a role name with a control character'; Command = 'New-AibRoleDefinition'; Splat = @{ Scenario = 'Networking'; ResourceGroupName = 'aib-images'; RoleName = "net`u{001b}[31m" }; Id = 'INVALID_ARGUMENT'; Field = 'RoleName' }
        @{ Case = 'a missing role file'; Command = 'New-AibRoleDefinition'; Splat = @{ InputFile = '{dir}/nothing-here.json' }; Id = '.*'; Field = 'InputFile' }
        @{ Case = 'an identity name of 2 characters'; Command = 'New-AibUserAssignedIdentity'; Splat = @{ Name = 'ab'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'an empty identity name'; Command = 'New-AibUserAssignedIdentity'; Splat = @{ Name = ''; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'an identity name with a space'; Command = 'New-AibUserAssignedIdentity'; Splat = @{ Name = 'aib identity'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'a non-ASCII identity name'; Command = 'New-AibUserAssignedIdentity'; Splat = @{ Name = 'identité'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'an identity name starting with a dash'; Command = 'New-AibUserAssignedIdentity'; Splat = @{ Name = '-aib'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'an identity name of 129 characters'; Command = 'New-AibUserAssignedIdentity'; Splat = @{ Name = ('i' * 129); ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Name' }
        @{ Case = 'an identity subscription that is no GUID'; Command = 'New-AibUserAssignedIdentity'; Splat = @{ Name = 'aibOther'; ResourceGroupName = 'aib-images'; SubscriptionId = '1234' }; Id = 'INVALID_ARGUMENT'; Field = 'SubscriptionId' }
        @{ Case = 'an identity group with a control character'; Command = 'New-AibUserAssignedIdentity'; Splat = @{ Name = 'aibOther'; ResourceGroupName = "aib`rimages" }; Id = 'INVALID_ARGUMENT'; Field = 'ResourceGroupName' }
        @{ Case = 'a principal that is no GUID'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = 'aibIdentity'; RoleDefinitionName = 'Reader'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'ObjectId|principalId' }
        @{ Case = 'an empty principal'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = ''; RoleDefinitionName = 'Reader'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'ObjectId|principalId' }
        @{ Case = 'a role id that is no GUID'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionId = 'reader'; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'RoleDefinitionId' }
        @{ Case = 'a role id of another provider'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionId = "/subscriptions/$sub/providers/Microsoft.Compute/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'RoleDefinitionId' }
        @{ Case = 'an empty role definition name'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionName = ''; ResourceGroupName = 'aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'RoleDefinitionName' }
        @{ Case = 'a scope without a leading slash'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionName = 'Reader'; Scope = "subscriptions/$sub" }; Id = 'INVALID_ARGUMENT'; Field = 'Scope' }
        @{ Case = 'a scope of the wrong shape'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionName = 'Reader'; Scope = "/subscriptions/$sub/resourceGroups" }; Id = 'INVALID_ARGUMENT'; Field = 'Scope' }
        @{ Case = 'a scope with a bad subscription'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionName = 'Reader'; Scope = '/subscriptions/xyz/resourceGroups/aib-images' }; Id = 'INVALID_ARGUMENT'; Field = 'Scope' }
        @{ Case = 'a scope with a query string'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionName = 'Reader'; Scope = "/subscriptions/$sub/resourceGroups/aib-images?api-version=1" }; Id = 'INVALID_ARGUMENT'; Field = 'Scope' }
        @{ Case = 'an unknown object type'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionName = 'Reader'; ResourceGroupName = 'aib-images'; ObjectType = 'Robot' }; Id = 'INVALID_ARGUMENT'; Field = 'ObjectType|principalType' }
        @{ Case = 'a condition version without a condition'; Command = 'New-AibRoleAssignment'; Splat = @{ ObjectId = '{principal}'; RoleDefinitionName = 'Reader'; ResourceGroupName = 'aib-images'; ConditionVersion = '2.0' }; Id = 'INVALID_ARGUMENT'; Field = 'Condition' }
    )
}

Describe 'Bad input catalog' -Tag 'Integration', 'Reliability' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath '../Integration/IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $script:sub = $emulator.SubscriptionId
        New-TestResourceGroup -SubscriptionId $sub -Name 'aib-images'
        $script:principal = (New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'aib-images' -SubscriptionId $sub).PrincipalId

        function Get-WriteCount {
            # PUT, PATCH and DELETE requests the emulator has served.
            $curl = Get-Command -Name curl -CommandType Application | Select-Object -First 1
            $json = & $curl.Source --silent --show-error --fail --cacert $emulator.CaCertificatePath "$($emulator.ControlEndpoint)/counters"
            $counters = ($json -join "`n") | ConvertFrom-Json -AsHashtable
            $n = 0
            foreach ($k in $counters.Keys) {
                if ($k -match '\.(put|patch|delete)$') { $n += $counters[$k] }
            }
            $n
        }

        function Expand-Value {
            param ($Value)
            if ($Value -is [string]) {
                return $Value.Replace('{sub}', $sub).Replace('{principal}', $principal).Replace('{dir}', $TestDrive)
            }
            if ($Value -is [hashtable]) {
                $copy = @{}
                foreach ($k in $Value.Keys) { $copy[$k] = Expand-Value $Value[$k] }
                return $copy
            }
            if ($Value -is [array]) { return @($Value | ForEach-Object { Expand-Value $_ }) }
            $Value
        }

        function Assert-BadInput {
            param ([scriptblock] $Action, [string] $Command, [string] $Id, [string] $Field, [string] $Category)
            $before = Get-WriteCount
            $err = $null
            try { & $Action } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because 'bad input must fail'
            $err | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $err.CategoryInfo.Category | Should -Be $(if ($Category) { $Category } else { 'InvalidArgument' })
            $err.FullyQualifiedErrorId | Should -Match ('^(' + $Id + ')[.,]') -Because 'the id carries the status'
            $err.FullyQualifiedErrorId | Should -Match (',' + [regex]::Escape($Command) + '$')
            if ($Field) {
                $err.FullyQualifiedErrorId | Should -Match ('^[A-Z0-9_]+\.[^,]*(' + $Field + ')') -Because 'the id names the field'
            }
            $err.Exception.Message | Should -Not -BeNullOrEmpty
            Get-WriteCount | Should -Be $before -Because 'nothing may be created by bad input'
        }
    }

    AfterAll {
        Stop-AibEmulator
    }

    It 'a role file with <Case> is refused' -ForEach $fileCases {
        $path = Join-Path -Path $TestDrive -ChildPath 'role.json'
        if ($_.ContainsKey('Bytes')) {
            [System.IO.File]::WriteAllBytes($path, [byte[]]$_['Bytes'])
        } else {
            [System.IO.File]::WriteAllText($path, (Expand-Value $_['Text']), [System.Text.UTF8Encoding]::new($false))
        }
        Assert-BadInput -Action { New-AibRoleDefinition -InputFile $path } -Command 'New-AibRoleDefinition' -Id $Id -Field $Field
    }

    It '<Command> with <Case> is refused' -ForEach $paramCases {
        $splat = Expand-Value $Splat
        $cmd = $Command
        $cat = if ($_.ContainsKey('Category')) { $_['Category'] } else { '' }
        Assert-BadInput -Action { & $cmd @splat } -Command $Command -Id $Id -Field $Field -Category $cat
    }

    It 'the session still works after the catalog' {
        $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'aib-images' -SubscriptionId $sub
        $identity.PrincipalId | Should -Be $principal
        (Get-Process -Id $PID).Responding | Should -BeTrue
    }
}
