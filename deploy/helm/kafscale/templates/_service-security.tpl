{{/*
Security between the services (docs/security.md, "Between services"): mutual TLS on every
gRPC server and client (security.services.grpcTls), the admin API's tokens
(security.services.adminTokensSecretRef, controlplane) and the token its clients send
(security.services.adminClientTokenSecretRef, console and operator), and TLS towards etcd
(etcd.tlsSecretRef, the pods that talk to etcd). Each Secret is mounted read-only into the
pods whose process reads it, and only its file paths go into their ConfigMaps. The
operator makes the same (lib/operator/cluster/service-security.ts).
*/}}

{{/* Where the pods mount these Secrets. */}}
{{- define "kafscale.grpcTlsDir" -}}/etc/kafscale/grpc-tls{{- end }}
{{- define "kafscale.adminTokensDir" -}}/etc/kafscale/admin-tokens{{- end }}
{{- define "kafscale.adminTokenDir" -}}/etc/kafscale/admin-token{{- end }}
{{- define "kafscale.etcdTlsDir" -}}/etc/kafscale/etcd-tls{{- end }}

{{/*
Which of the four Secrets a component's process reads, as YAML (grpcTls, adminTokens,
adminClientToken, etcdTls: true when mounted). Argument: (dict "root" $ "component" KEY).
*/}}
{{- define "kafscale.serviceSecrets" -}}
{{- $values := .root.Values }}
{{- $services := $values.security.services }}
{{- $key := .component }}
grpcTls: {{ not (empty $services.grpcTls.secretRef) }}
adminTokens: {{ and (eq $key "controlplane") (not (empty $services.adminTokensSecretRef)) }}
adminClientToken: {{ and (has $key (list "console" "operator")) (not (empty $services.adminClientTokenSecretRef)) }}
etcdTls: {{ and (has $key (list "edge" "controlplane" "storageNode")) (not (empty $values.etcd.tlsSecretRef)) }}
{{- end }}

{{/*
Fails on values a process would refuse at start-up (lib/config/service-security-config.ts)
or that would lock the console or the operator out of the admin API, naming the value. The
operator refuses the same (lib/operator/cluster/validate-service-security.ts). Argument: $.
*/}}
{{- define "kafscale.checkServiceSecurity" -}}
{{- $services := .Values.security.services }}
{{- if and $services.grpcTls.serverName (not $services.grpcTls.secretRef) }}
{{- fail "security.services.grpcTls.serverName: gRPC TLS is off: set security.services.grpcTls.secretRef" }}
{{- end }}
{{- if and .Values.cluster.enabled $services.adminTokensSecretRef (not $services.adminClientTokenSecretRef) (not $services.grpcTls.secretRef) }}
{{- $clients := list }}
{{- if .Values.console.enabled }}{{ $clients = append $clients "the console" }}{{ end }}
{{- if .Values.operator.enabled }}{{ $clients = append $clients "the operator" }}{{ end }}
{{- if $clients }}
{{- fail (printf "security.services.adminTokensSecretRef: %s would be refused by the admin API (no token, no client certificate): set security.services.adminClientTokenSecretRef, or security.services.grpcTls.secretRef" (join " and " $clients)) }}
{{- end }}
{{- end }}
{{- with .Values.etcd.tlsSecretRef }}
{{- if and .certKey (not .keyKey) }}
{{- fail "etcd.tlsSecretRef.certKey: a client certificate needs both KAFSCALE_ETCD_CERT_FILE and KAFSCALE_ETCD_KEY_FILE: set etcd.tlsSecretRef.keyKey too" }}
{{- end }}
{{- if and .keyKey (not .certKey) }}
{{- fail "etcd.tlsSecretRef.keyKey: a client certificate needs both KAFSCALE_ETCD_CERT_FILE and KAFSCALE_ETCD_KEY_FILE: set etcd.tlsSecretRef.certKey too" }}
{{- end }}
{{- range $.Values.etcd.endpoints }}
{{- if not (hasPrefix "https://" .) }}
{{- fail (printf "etcd.tlsSecretRef: etcd TLS is configured (KAFSCALE_ETCD_CA_FILE, _CERT_FILE, _KEY_FILE): use https:// endpoints (etcd.endpoints has %s)" .) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* A component's settings naming the mounted files, as YAML. Argument: (dict "root" $ "component" KEY). */}}
{{- define "kafscale.serviceSecurityConfig" -}}
{{- $mounted := include "kafscale.serviceSecrets" . | fromYaml }}
{{- $values := .root.Values }}
{{- $data := dict }}
{{- if $mounted.grpcTls }}
{{- $dir := include "kafscale.grpcTlsDir" . }}
{{- $_ := set $data "KAFSCALE_GRPC_TLS_CERT_FILE" (printf "%s/tls.crt" $dir) }}
{{- $_ := set $data "KAFSCALE_GRPC_TLS_KEY_FILE" (printf "%s/tls.key" $dir) }}
{{- $_ := set $data "KAFSCALE_GRPC_TLS_CA_FILE" (printf "%s/ca.crt" $dir) }}
{{- with $values.security.services.grpcTls.serverName }}
{{- $_ := set $data "KAFSCALE_GRPC_TLS_SERVER_NAME" . }}
{{- end }}
{{- end }}
{{- if $mounted.adminTokens }}
{{- $_ := set $data "KAFSCALE_ADMIN_TOKENS_FILE" (printf "%s/tokens" (include "kafscale.adminTokensDir" .)) }}
{{- end }}
{{- if $mounted.adminClientToken }}
{{- $_ := set $data "KAFSCALE_ADMIN_TOKEN_FILE" (printf "%s/token" (include "kafscale.adminTokenDir" .)) }}
{{- end }}
{{- if $mounted.etcdTls }}
{{- $dir := include "kafscale.etcdTlsDir" . }}
{{- $_ := set $data "KAFSCALE_ETCD_CA_FILE" (printf "%s/ca.crt" $dir) }}
{{- if $values.etcd.tlsSecretRef.certKey }}
{{- $_ := set $data "KAFSCALE_ETCD_CERT_FILE" (printf "%s/tls.crt" $dir) }}
{{- $_ := set $data "KAFSCALE_ETCD_KEY_FILE" (printf "%s/tls.key" $dir) }}
{{- end }}
{{- end }}
{{- toYaml $data }}
{{- end }}

{{/* A component's Secret volumes, as a YAML list. Argument: (dict "root" $ "component" KEY). */}}
{{- define "kafscale.serviceSecurityVolumes" -}}
{{- $mounted := include "kafscale.serviceSecrets" . | fromYaml }}
{{- $values := .root.Values }}
{{- $services := $values.security.services }}
{{- if $mounted.grpcTls }}
{{- with $services.grpcTls.secretRef }}
- name: grpc-tls
  secret:
    secretName: {{ .name | quote }}
    items:
      - key: {{ default "tls.crt" .certKey | quote }}
        path: tls.crt
      - key: {{ default "tls.key" .keyKey | quote }}
        path: tls.key
      - key: {{ default "ca.crt" .caKey | quote }}
        path: ca.crt
{{- end }}
{{- end }}
{{- if $mounted.adminTokens }}
{{- with $services.adminTokensSecretRef }}
- name: admin-tokens
  secret:
    secretName: {{ .name | quote }}
    items:
      - key: {{ default "tokens" .key | quote }}
        path: tokens
{{- end }}
{{- end }}
{{- if $mounted.adminClientToken }}
{{- with $services.adminClientTokenSecretRef }}
- name: admin-client-token
  secret:
    secretName: {{ .name | quote }}
    items:
      - key: {{ default "token" .key | quote }}
        path: token
{{- end }}
{{- end }}
{{- if $mounted.etcdTls }}
{{- with $values.etcd.tlsSecretRef }}
- name: etcd-tls
  secret:
    secretName: {{ .name | quote }}
    items:
      - key: {{ default "ca.crt" .caKey | quote }}
        path: ca.crt
      {{- if .certKey }}
      - key: {{ .certKey | quote }}
        path: tls.crt
      - key: {{ .keyKey | quote }}
        path: tls.key
      {{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Where a component mounts those volumes, as a YAML list. Argument: (dict "root" $ "component" KEY). */}}
{{- define "kafscale.serviceSecurityVolumeMounts" -}}
{{- $mounted := include "kafscale.serviceSecrets" . | fromYaml }}
{{- if $mounted.grpcTls }}
- name: grpc-tls
  mountPath: {{ include "kafscale.grpcTlsDir" . }}
  readOnly: true
{{- end }}
{{- if $mounted.adminTokens }}
- name: admin-tokens
  mountPath: {{ include "kafscale.adminTokensDir" . }}
  readOnly: true
{{- end }}
{{- if $mounted.adminClientToken }}
- name: admin-client-token
  mountPath: {{ include "kafscale.adminTokenDir" . }}
  readOnly: true
{{- end }}
{{- if $mounted.etcdTls }}
- name: etcd-tls
  mountPath: {{ include "kafscale.etcdTlsDir" . }}
  readOnly: true
{{- end }}
{{- end }}
