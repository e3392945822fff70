{{/*
Names, labels and the pieces every Kafscale workload shares. Components are the keys of
the values: edge, controlplane, storageNode, console, operator.
*/}}

{{- define "kafscale.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kafscale.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The `kafscale` subcommand (and name suffix) of a component key. */}}
{{- define "kafscale.command" -}}
{{- get (dict "edge" "edge" "controlplane" "controlplane" "storageNode" "storage-node" "console" "console" "operator" "operator") . }}
{{- end }}

{{/* Name of a component's objects. Argument: (dict "root" $ "component" "edge"). */}}
{{- define "kafscale.componentName" -}}
{{- printf "%s-%s" (include "kafscale.fullname" .root) (include "kafscale.command" .component) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kafscale.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "kafscale.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: kafscale
{{- end }}

{{- define "kafscale.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kafscale.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ include "kafscale.command" .component }}
{{- end }}

{{- define "kafscale.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kafscale.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kafscale.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
A config value as the string a process reads: numbers from values files arrive as float64
and would print as 1.048576e+08, so whole numbers are printed as integers.
*/}}
{{- define "kafscale.envValue" -}}
{{- if kindIs "float64" . }}
{{- if eq (floor .) . }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}

{{/*
Settings that may not be given in `config` or `<component>.config`, and why. Credentials
come only from Secrets; the rest are derived from other values (or per pod).
*/}}
{{- define "kafscale.refusedConfig" -}}
KAFSCALE_S3_ACCESS_KEY: "credentials are never read from values or ConfigMaps: store them in a Secret and name it in s3.credentialsSecretRef"
KAFSCALE_S3_SECRET_KEY: "credentials are never read from values or ConfigMaps: store them in a Secret and name it in s3.credentialsSecretRef"
KAFSCALE_S3_SESSION_TOKEN: "credentials are never read from values or ConfigMaps: store them in a Secret and name it in s3.credentialsSecretRef (sessionTokenKey)"
KAFSCALE_ETCD_USERNAME: "credentials are never read from values or ConfigMaps: store them in a Secret and name it in etcd.credentialsSecretRef"
KAFSCALE_ETCD_PASSWORD: "credentials are never read from values or ConfigMaps: store them in a Secret and name it in etcd.credentialsSecretRef"
KAFSCALE_CONSOLE_ADMIN_TOKEN: "credentials are never read from values or ConfigMaps: store the token in a Secret and name it in console.adminTokenSecretRef"
KAFSCALE_ETCD_ENDPOINTS: "set by the chart from etcd.endpoints"
KAFSCALE_S3_BUCKET: "set by the chart from s3.bucket"
KAFSCALE_S3_REGION: "set by the chart from s3.region"
KAFSCALE_S3_ENDPOINT: "set by the chart from s3.endpoint"
KAFSCALE_S3_PATH_STYLE: "set by the chart from s3.pathStyle"
KAFSCALE_S3_KMS_ARN: "set by the chart from s3.kmsArn"
KAFSCALE_METRICS_ADDR: "set by the chart from metricsPort (the probes use that port)"
KAFSCALE_METRICS_ADVERTISED_ADDR: "set by the chart per pod (its pod IP and metricsPort)"
KAFSCALE_EDGE_ADDR: "set by the chart from edge.port"
KAFSCALE_CONTROLPLANE_ADDR: "set by the chart from controlplane.port"
KAFSCALE_STORAGE_ADDR: "set by the chart from storageNode.port"
KAFSCALE_CONSOLE_ADDR: "set by the chart from console.port"
KAFSCALE_ADVERTISED_ADDR: "set by the chart per pod (its pod IP); for one address behind a load balancer use edge.singleAddress.enabled and edge.singleAddress.advertisedAddr"
KAFSCALE_SINGLE_ADDRESS: "set by the chart from edge.singleAddress.enabled"
KAFSCALE_EDGE_ID: "each edge gets its id when it registers; one fixed id would be shared by every edge replica"
KAFSCALE_STORAGE_NODE_ID: "set by the chart: each storage node's id is its pod name"
KAFSCALE_CONTROLPLANE_URL: "set by the chart to the controlplane Service"
KAFSCALE_CONSOLE_BROKER_METRICS_URL: "set by the chart from console.brokerMetricsUrls"
KAFSCALE_LISTENERS: "set by the chart from security.listeners (name and port)"
KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP: "set by the chart from security.listeners (protocol)"
KAFSCALE_ADVERTISED_LISTENERS: "set by the chart per pod from security.listeners (advertisedAddr, else the pod IP)"
KAFSCALE_TLS_CERT_FILE: "set by the chart: the Secret named in security.tls.secretRef is mounted into the edge pods"
KAFSCALE_TLS_KEY_FILE: "set by the chart: the Secret named in security.tls.secretRef is mounted into the edge pods"
KAFSCALE_TLS_CA_FILE: "set by the chart: the Secret named in security.tls.secretRef (caKey) is mounted into the edge pods"
KAFSCALE_TLS_CLIENT_AUTH: "set by the chart from security.tls.clientAuth"
KAFSCALE_SASL_ENABLED_MECHANISMS: "set by the chart from security.sasl.enabledMechanisms"
KAFSCALE_SASL_PLAIN_USERS_FILE: "set by the chart: the Secret named in security.sasl.plainUsersSecretRef is mounted into the edge pods"
KAFSCALE_SASL_MAX_REAUTH_MS: "set by the chart from security.sasl.maxReauthMs"
KAFSCALE_GRPC_TLS_CERT_FILE: "set by the chart: the Secret named in security.services.grpcTls.secretRef is mounted into every Kafscale pod"
KAFSCALE_GRPC_TLS_KEY_FILE: "set by the chart: the Secret named in security.services.grpcTls.secretRef is mounted into every Kafscale pod"
KAFSCALE_GRPC_TLS_CA_FILE: "set by the chart: the Secret named in security.services.grpcTls.secretRef is mounted into every Kafscale pod"
KAFSCALE_GRPC_TLS_SERVER_NAME: "set by the chart from security.services.grpcTls.serverName"
KAFSCALE_ADMIN_TOKENS_FILE: "set by the chart: the Secret named in security.services.adminTokensSecretRef is mounted into the controlplane pods"
KAFSCALE_ADMIN_TOKEN_FILE: "set by the chart: the Secret named in security.services.adminClientTokenSecretRef is mounted into the console and operator pods"
KAFSCALE_ETCD_CA_FILE: "set by the chart: the Secret named in etcd.tlsSecretRef is mounted into the edge, controlplane and storage-node pods"
KAFSCALE_ETCD_CERT_FILE: "set by the chart: the Secret named in etcd.tlsSecretRef (certKey) is mounted into the edge, controlplane and storage-node pods"
KAFSCALE_ETCD_KEY_FILE: "set by the chart: the Secret named in etcd.tlsSecretRef (keyKey) is mounted into the edge, controlplane and storage-node pods"
{{- end }}

{{/* Fails on a refused key in a config map. Argument: (dict "config" MAP "where" "edge.config"). */}}
{{- define "kafscale.checkConfig" -}}
{{- $refused := include "kafscale.refusedConfig" . | fromYaml }}
{{- range $key, $_ := .config }}
{{- if hasKey $refused $key }}
{{- fail (printf "%s.%s: %s" $.where $key (get $refused $key)) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Fails on a KAFSCALE_* variable in extraEnv. Argument: (dict "env" LIST "where" "edge.extraEnv"). */}}
{{- define "kafscale.checkExtraEnv" -}}
{{- range .env }}
{{- if hasPrefix "KAFSCALE_" (toString .name) }}
{{- fail (printf "%s: %s: KAFSCALE_* settings go in config or in the service's config (credentials in the Secrets named by etcd.credentialsSecretRef, s3.credentialsSecretRef and console.adminTokenSecretRef)" $.where .name) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The KAFSCALE_* settings of one component's ConfigMap, as YAML: the top-level config, the
component's config over it, then what the chart derives (which neither may set).
Argument: (dict "root" $ "component" "edge").
*/}}
{{- define "kafscale.configData" -}}
{{- $root := .root }}
{{- $key := .component }}
{{- $v := index $root.Values $key }}
{{- include "kafscale.checkConfig" (dict "config" $root.Values.config "where" "config") }}
{{- include "kafscale.checkConfig" (dict "config" $v.config "where" (printf "%s.config" $key)) }}
{{- $data := dict }}
{{- range $k, $val := $root.Values.config }}
{{- $_ := set $data $k (include "kafscale.envValue" $val) }}
{{- end }}
{{- range $k, $val := $v.config }}
{{- $_ := set $data $k (include "kafscale.envValue" $val) }}
{{- end }}
{{- include "kafscale.checkServiceSecurity" $root }}
{{- range $k, $val := include "kafscale.serviceSecurityConfig" . | fromYaml }}
{{- $_ := set $data $k $val }}
{{- end }}
{{- $_ := set $data "KAFSCALE_METRICS_ADDR" (printf "0.0.0.0:%d" (int $root.Values.metricsPort)) }}
{{- $controlplaneUrl := printf "http://%s:%d" (include "kafscale.componentName" (dict "root" $root "component" "controlplane")) (int $root.Values.controlplane.port) }}
{{- if has $key (list "edge" "controlplane" "storageNode") }}
{{- $_ := set $data "KAFSCALE_ETCD_ENDPOINTS" (join "," $root.Values.etcd.endpoints) }}
{{- end }}
{{- if eq $key "storageNode" }}
{{- $_ := set $data "KAFSCALE_S3_BUCKET" $root.Values.s3.bucket }}
{{- $_ := set $data "KAFSCALE_S3_REGION" $root.Values.s3.region }}
{{- $_ := set $data "KAFSCALE_S3_ENDPOINT" $root.Values.s3.endpoint }}
{{- $_ := set $data "KAFSCALE_S3_PATH_STYLE" (toString $root.Values.s3.pathStyle) }}
{{- if $root.Values.s3.kmsArn }}
{{- $_ := set $data "KAFSCALE_S3_KMS_ARN" $root.Values.s3.kmsArn }}
{{- end }}
{{- $_ := set $data "KAFSCALE_STORAGE_ADDR" (printf "0.0.0.0:%d" (int $v.port)) }}
{{- else if eq $key "edge" }}
{{- include "kafscale.checkSecurity" $root }}
{{- $security := include "kafscale.securityConfig" $root | fromYaml }}
{{- range $k, $val := $security }}
{{- $_ := set $data $k $val }}
{{- end }}
{{- if not $root.Values.security.listeners }}
{{- $_ := set $data "KAFSCALE_EDGE_ADDR" (printf "0.0.0.0:%d" (int $v.port)) }}
{{- end }}
{{- $_ := set $data "KAFSCALE_SINGLE_ADDRESS" (toString $v.singleAddress.enabled) }}
{{- if $v.singleAddress.enabled }}
{{- $_ := set $data "KAFSCALE_ADVERTISED_ADDR" (required "edge.singleAddress.advertisedAddr is required when edge.singleAddress.enabled is true: the load balancer's host:port, which every edge advertises" $v.singleAddress.advertisedAddr) }}
{{- end }}
{{- else if eq $key "controlplane" }}
{{- $_ := set $data "KAFSCALE_CONTROLPLANE_ADDR" (printf "0.0.0.0:%d" (int $v.port)) }}
{{- else if eq $key "console" }}
{{- $_ := set $data "KAFSCALE_CONSOLE_ADDR" (printf "0.0.0.0:%d" (int $v.port)) }}
{{- $_ := set $data "KAFSCALE_CONTROLPLANE_URL" $controlplaneUrl }}
{{- if $v.brokerMetricsUrls }}
{{- $_ := set $data "KAFSCALE_CONSOLE_BROKER_METRICS_URL" (join "," $v.brokerMetricsUrls) }}
{{- end }}
{{- else if and (eq $key "operator") $root.Values.cluster.enabled }}
{{- $_ := set $data "KAFSCALE_CONTROLPLANE_URL" $controlplaneUrl }}
{{- end }}
{{- toYaml $data }}
{{- end }}

{{/* The port name of a Kafka listener: SASL_SSL -> sasl-ssl. Argument: the listener. */}}
{{- define "kafscale.listenerPortName" -}}
{{- lower .name | replace "_" "-" }}
{{- end }}

{{/* Whether a listener list (security.listeners) has one of the protocols given. */}}
{{- define "kafscale.anyProtocol" -}}
{{- $found := false }}
{{- range .listeners }}
{{- if has .protocol $.protocols }}{{ $found = true }}{{ end }}
{{- end }}
{{- if $found }}true{{ end }}
{{- end }}

{{/*
Fails on security values an edge would refuse at start-up (lib/config/security-config.ts),
naming the value. The operator refuses the same (lib/operator/cluster/validate-security.ts).
*/}}
{{- define "kafscale.checkSecurity" -}}
{{- $sec := .Values.security }}
{{- $tlsListener := include "kafscale.anyProtocol" (dict "listeners" $sec.listeners "protocols" (list "SSL" "SASL_SSL")) }}
{{- $saslListener := include "kafscale.anyProtocol" (dict "listeners" $sec.listeners "protocols" (list "SASL_PLAINTEXT" "SASL_SSL")) }}
{{- $names := dict }}
{{- $ports := dict }}
{{- $external := false }}
{{- range $sec.listeners }}
{{- if hasKey $names .name }}{{ fail (printf "security.listeners: %s is named twice" .name) }}{{ end }}
{{- $_ := set $names .name true }}
{{- if hasKey $ports (toString .port) }}{{ fail (printf "security.listeners: two listeners on port %d" (int .port)) }}{{ end }}
{{- $_ := set $ports (toString .port) true }}
{{- if .external }}{{ $external = true }}{{ end }}
{{- end }}
{{- if and $sec.listeners (not $external) }}
{{- fail "security.listeners: none is external: mark the listener(s) the edge Service serves with external: true" }}
{{- end }}
{{- if and $sec.listeners .Values.edge.singleAddress.enabled }}
{{- fail "edge.singleAddress.enabled: not with security.listeners; give each listener its advertisedAddr instead" }}
{{- end }}
{{- if and $tlsListener (not $sec.tls.secretRef) }}
{{- fail "security.tls.secretRef: required by the SSL and SASL_SSL listeners in security.listeners" }}
{{- end }}
{{- if and $sec.tls.secretRef (not $tlsListener) }}
{{- fail "security.tls.secretRef: no listener in security.listeners uses SSL or SASL_SSL" }}
{{- end }}
{{- if and (ne $sec.tls.clientAuth "none") (not (and $sec.tls.secretRef $sec.tls.secretRef.caKey)) }}
{{- fail (printf "security.tls.clientAuth: %s needs the CA of client certificates: set security.tls.secretRef.caKey" $sec.tls.clientAuth) }}
{{- end }}
{{- $plain := has "PLAIN" $sec.sasl.enabledMechanisms }}
{{- if and $plain (not $sec.sasl.plainUsersSecretRef) }}
{{- fail "security.sasl.enabledMechanisms: PLAIN needs the users file: set security.sasl.plainUsersSecretRef" }}
{{- end }}
{{- if and $sec.sasl.plainUsersSecretRef (not $plain) }}
{{- fail "security.sasl.plainUsersSecretRef: PLAIN is not in security.sasl.enabledMechanisms" }}
{{- end }}
{{- if and $sec.sasl.plainUsersSecretRef (not $saslListener) }}
{{- fail "security.sasl.plainUsersSecretRef: no listener in security.listeners uses SASL_PLAINTEXT or SASL_SSL" }}
{{- end }}
{{- end }}

{{/* Where the edge pods mount the security Secrets. */}}
{{- define "kafscale.tlsDir" -}}/etc/kafscale/tls{{- end }}
{{- define "kafscale.saslDir" -}}/etc/kafscale/sasl{{- end }}

{{/* The edges' listener, TLS and SASL settings (ConfigMap), as YAML. Argument: $. */}}
{{- define "kafscale.securityConfig" -}}
{{- $sec := .Values.security }}
{{- $data := dict }}
{{- if $sec.listeners }}
{{- $listen := list }}
{{- $map := list }}
{{- range $sec.listeners }}
{{- $listen = append $listen (printf "%s://0.0.0.0:%d" .name (int .port)) }}
{{- $map = append $map (printf "%s:%s" .name .protocol) }}
{{- end }}
{{- $_ := set $data "KAFSCALE_LISTENERS" (join "," $listen) }}
{{- $_ := set $data "KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP" (join "," $map) }}
{{- end }}
{{- with $sec.tls.secretRef }}
{{- $_ := set $data "KAFSCALE_TLS_CERT_FILE" (printf "%s/tls.crt" (include "kafscale.tlsDir" $)) }}
{{- $_ := set $data "KAFSCALE_TLS_KEY_FILE" (printf "%s/tls.key" (include "kafscale.tlsDir" $)) }}
{{- if .caKey }}
{{- $_ := set $data "KAFSCALE_TLS_CA_FILE" (printf "%s/ca.crt" (include "kafscale.tlsDir" $)) }}
{{- end }}
{{- $_ := set $data "KAFSCALE_TLS_CLIENT_AUTH" $sec.tls.clientAuth }}
{{- end }}
{{- if include "kafscale.anyProtocol" (dict "listeners" $sec.listeners "protocols" (list "SASL_PLAINTEXT" "SASL_SSL")) }}
{{- $_ := set $data "KAFSCALE_SASL_ENABLED_MECHANISMS" (join "," $sec.sasl.enabledMechanisms) }}
{{- $_ := set $data "KAFSCALE_SASL_MAX_REAUTH_MS" (toString (int64 $sec.sasl.maxReauthMs)) }}
{{- if $sec.sasl.plainUsersSecretRef }}
{{- $_ := set $data "KAFSCALE_SASL_PLAIN_USERS_FILE" (printf "%s/plain-users" (include "kafscale.saslDir" $)) }}
{{- end }}
{{- end }}
{{- toYaml $data }}
{{- end }}

{{/* The edges' Secret volumes (TLS, PLAIN users), as a YAML list. Argument: $. */}}
{{- define "kafscale.securityVolumes" -}}
{{- $sec := .Values.security }}
{{- with $sec.tls.secretRef }}
- name: tls
  secret:
    secretName: {{ .name | quote }}
    items:
      - key: {{ default "tls.crt" .certKey | quote }}
        path: tls.crt
      - key: {{ default "tls.key" .keyKey | quote }}
        path: tls.key
      {{- if .caKey }}
      - key: {{ .caKey | quote }}
        path: ca.crt
      {{- end }}
{{- end }}
{{- with $sec.sasl.plainUsersSecretRef }}
- name: sasl-plain-users
  secret:
    secretName: {{ .name | quote }}
    items:
      - key: {{ default "plain-users" .key | quote }}
        path: plain-users
{{- end }}
{{- end }}

{{/* Where the edges mount those volumes, as a YAML list. Argument: $. */}}
{{- define "kafscale.securityVolumeMounts" -}}
{{- $sec := .Values.security }}
{{- if $sec.tls.secretRef }}
- name: tls
  mountPath: {{ include "kafscale.tlsDir" $ }}
  readOnly: true
{{- end }}
{{- if $sec.sasl.plainUsersSecretRef }}
- name: sasl-plain-users
  mountPath: {{ include "kafscale.saslDir" $ }}
  readOnly: true
{{- end }}
{{- end }}

{{/* Credentials from existing Secrets, as env entries. Argument: (dict "root" $ "component" KEY). */}}
{{- define "kafscale.secretEnv" -}}
{{- $root := .root }}
{{- if has .component (list "edge" "controlplane" "storageNode") }}
{{- with $root.Values.etcd.credentialsSecretRef }}
- name: KAFSCALE_ETCD_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .name | quote }}
      key: {{ default "username" .usernameKey | quote }}
- name: KAFSCALE_ETCD_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .name | quote }}
      key: {{ default "password" .passwordKey | quote }}
{{- end }}
{{- end }}
{{- if eq .component "storageNode" }}
{{- with $root.Values.s3.credentialsSecretRef }}
- name: KAFSCALE_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .name | quote }}
      key: {{ default "access-key" .accessKeyKey | quote }}
- name: KAFSCALE_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .name | quote }}
      key: {{ default "secret-key" .secretKeyKey | quote }}
{{- if .sessionTokenKey }}
- name: KAFSCALE_S3_SESSION_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .name | quote }}
      key: {{ .sessionTokenKey | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq .component "console" }}
{{- with $root.Values.console.adminTokenSecretRef }}
- name: KAFSCALE_CONSOLE_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .name | quote }}
      key: {{ default "admin-token" .key | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The pod template of a Kafscale workload. Argument: (dict "root" $ "component" KEY
"ports" LIST-of-(dict name port) "env" YAML-list-string).
*/}}
{{- define "kafscale.podTemplate" -}}
{{- $root := .root }}
{{- $key := .component }}
{{- $v := index $root.Values $key }}
{{- $ctx := dict "root" $root "component" $key }}
{{- include "kafscale.checkExtraEnv" (dict "env" $v.extraEnv "where" (printf "%s.extraEnv" $key)) -}}
metadata:
  labels:
    {{- include "kafscale.selectorLabels" $ctx | nindent 4 }}
    {{- with $v.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include "kafscale.configData" $ctx | sha256sum }}
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- if eq $key "operator" }}
  serviceAccountName: {{ include "kafscale.componentName" $ctx }}
  automountServiceAccountToken: true
  {{- else }}
  serviceAccountName: {{ include "kafscale.serviceAccountName" $root }}
  automountServiceAccountToken: false
  {{- end }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ default 30 $v.terminationGracePeriodSeconds }}
  {{- if $root.Values.spreadOverNodes }}
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "kafscale.selectorLabels" $ctx | nindent 10 }}
  {{- end }}
  {{- with $v.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ include "kafscale.command" $key }}
      image: {{ include "kafscale.image" $root | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      args: [{{ include "kafscale.command" $key | quote }}]
      envFrom:
        - configMapRef:
            name: {{ include "kafscale.componentName" $ctx }}
      env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        # Where the controlplane reads this pod's /load for the cluster status.
        - name: KAFSCALE_METRICS_ADVERTISED_ADDR
          value: "$(POD_IP):{{ $root.Values.metricsPort }}"
        {{- with .env }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with (include "kafscale.secretEnv" $ctx | trim) }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with $v.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        {{- range .ports }}
        - name: {{ .name }}
          containerPort: {{ .port }}
          protocol: TCP
        {{- end }}
        - name: metrics
          containerPort: {{ $root.Values.metricsPort }}
          protocol: TCP
      {{- $probes := $root.Values.probes }}
      {{- $live := dict "path" "/healthz" "port" "metrics" }}
      {{- $ready := dict "path" "/readyz" "port" "metrics" }}
      startupProbe:
        httpGet: { path: {{ $live.path }}, port: {{ $live.port }} }
        {{- toYaml $probes.startup | nindent 8 }}
      livenessProbe:
        httpGet: { path: {{ $live.path }}, port: {{ $live.port }} }
        {{- toYaml $probes.liveness | nindent 8 }}
      readinessProbe:
        httpGet: { path: {{ $ready.path }}, port: {{ $ready.port }} }
        {{- toYaml $probes.readiness | nindent 8 }}
      {{- if $v.preStopSleepSeconds }}
      lifecycle:
        preStop:
          exec:
            command: ["sleep", {{ $v.preStopSleepSeconds | quote }}]
      {{- end }}
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if eq $key "edge" }}
        {{- with (include "kafscale.securityVolumeMounts" $root | trim) }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- end }}
        {{- with (include "kafscale.serviceSecurityVolumeMounts" $ctx | trim) }}
        {{- . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ $root.Values.tmpSizeLimit }}
    {{- if eq $key "edge" }}
    {{- with (include "kafscale.securityVolumes" $root | trim) }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- end }}
    {{- with (include "kafscale.serviceSecurityVolumes" $ctx | trim) }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* The components that run, in order. */}}
{{- define "kafscale.enabledComponents" -}}
{{- $list := list }}
{{- if .Values.cluster.enabled }}
{{- $list = list "edge" "controlplane" "storageNode" }}
{{- if .Values.console.enabled }}{{ $list = append $list "console" }}{{ end }}
{{- end }}
{{- if .Values.operator.enabled }}{{ $list = append $list "operator" }}{{ end }}
{{- toJson $list }}
{{- end }}
