#!/usr/bin/env bash
# Provision and run Palvelumanuaali's real backing services on loopback:
# PostgreSQL (Debian package), Elasticsearch 8.19 (integ-test-zip from Maven Central) and the
# shared cache, Valkey (Debian package valkey-server; redis-server where Debian has no Valkey).
# Developers and CI use the same script so that tests always talk to real servers.
#
#   deploy/local-services.sh start    install if needed, start, wait until ready (idempotent)
#   deploy/local-services.sh stop     stop all three (idempotent)
#   deploy/local-services.sh status   report; exit 1 if any is down
#   deploy/local-services.sh env      print export lines: eval "$(deploy/local-services.sh env)"
#   deploy/local-services.sh browser      install Chromium, the browser of `make e2e` (tests/e2e)
#   deploy/local-services.sh bench-tools  install wrk, the load generator of scripts/bench_load.py
#
# Overridable through the environment: PG_PORT, ES_PORT, ES_VERSION, ES_HEAP, CACHE_PORT,
# CACHE_MAXMEMORY, and (mostly for testing) PG_CLUSTER, ES_INSTALL_ROOT, ES_STATE_DIR,
# CACHE_STATE_DIR -- point them elsewhere to try a cold install.
set -euo pipefail

PG_PORT="${PG_PORT:-5432}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_DB=palvelumanuaali
PG_USER=palvelumanuaali
PG_PASSWORD=palvelumanuaali

ES_VERSION="${ES_VERSION:-8.19.21}"
ES_PORT="${ES_PORT:-9200}"
ES_HEAP="${ES_HEAP:-512m}"
ES_USER="${ES_USER:-elasticsearch}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
# Binaries are root-owned but world-readable; mutable state belongs to ES_USER.
ES_INSTALL_ROOT="${ES_INSTALL_ROOT:-/opt/palvelumanuaali}"
ES_STATE_DIR="${ES_STATE_DIR:-/var/lib/palvelumanuaali/elasticsearch}"

ES_HOME="$ES_INSTALL_ROOT/elasticsearch-$ES_VERSION"
ES_URL="http://127.0.0.1:$ES_PORT"
ES_PIDFILE="$ES_STATE_DIR/elasticsearch.pid"
ES_LOG="$ES_STATE_DIR/logs/palvelumanuaali.log"
ES_STARTUP_LOG="$ES_STATE_DIR/logs/startup.log"
# Bump when the helper plugins below change, so existing installs rebuild them.
ES_PLUGINS_REV=1

CACHE_PORT="${CACHE_PORT:-6379}"
CACHE_MAXMEMORY="${CACHE_MAXMEMORY:-256mb}"
CACHE_STATE_DIR="${CACHE_STATE_DIR:-/var/lib/palvelumanuaali/cache}"
CACHE_URL="redis://127.0.0.1:$CACHE_PORT/0"
CACHE_PIDFILE="$CACHE_STATE_DIR/cache.pid"
CACHE_LOG="$CACHE_STATE_DIR/cache.log"

log() { echo "local-services: $*" >&2; }
die() { echo "local-services: ERROR: $*" >&2; exit 1; }

# Show the end of a service log so CI output explains a failure without digging.
show_log() {
    local f
    for f in "$@"; do
        [[ -s "$f" ]] || continue
        echo "---- last lines of $f ----" >&2
        tail -n 40 "$f" >&2
        echo "----" >&2
    done
}

need_root() {
    [[ $EUID -eq 0 ]] || die "'$1' must run as root (it installs packages and switches to service users)"
}

APT_UPDATED=
apt_update() {
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z $APT_UPDATED ]]; then
        apt-get update -q >/dev/null || die "apt-get update failed"
        APT_UPDATED=1
    fi
}

apt_install() {
    apt_update
    log "installing $* from Debian"
    apt-get install -y -q --no-install-recommends "$@" >/dev/null 9>&- || die "apt-get install $* failed"
}

# True if something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp: no extra tools).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- PostgreSQL

pg_version() {
    local bins=(/usr/lib/postgresql/*/bin/postgres)
    [[ -e ${bins[0]} ]] || return 1
    printf '%s\n' "${bins[@]}" | sort -V | tail -n 1 | cut -d/ -f5
}

pg_log() { echo "/var/log/postgresql/postgresql-$1-$PG_CLUSTER.log"; }

pg_start() {
    local v changed=
    v=$(pg_version) || true
    if [[ -z $v ]]; then
        apt_install postgresql
        v=$(pg_version) || die "postgresql installed but no server binaries under /usr/lib/postgresql"
    fi

    # A fresh container may have the package but no cluster, or a config left without data.
    if [[ -d /etc/postgresql/$v/$PG_CLUSTER ]]; then
        local datadir
        datadir=$(pg_lsclusters -h "$v" "$PG_CLUSTER" | awk '{print $6}')
        if [[ ! -f $datadir/PG_VERSION ]]; then
            log "PostgreSQL $v/$PG_CLUSTER has no data directory; recreating it"
            pg_dropcluster "$v" "$PG_CLUSTER" >/dev/null 2>&1 || rm -rf "/etc/postgresql/$v/$PG_CLUSTER"
        fi
    fi
    if [[ ! -d /etc/postgresql/$v/$PG_CLUSTER ]]; then
        log "creating PostgreSQL cluster $v/$PG_CLUSTER"
        pg_createcluster --port "$PG_PORT" "$v" "$PG_CLUSTER" >/dev/null || die "pg_createcluster failed"
    fi

    # Only touch the config when it differs, so an up-to-date cluster is not restarted.
    if [[ $(pg_conftool -s "$v" "$PG_CLUSTER" show port 2>/dev/null) != "$PG_PORT" ]]; then
        pg_conftool "$v" "$PG_CLUSTER" set port "$PG_PORT"
        changed=1
    fi
    local listen
    listen=$(pg_conftool -s "$v" "$PG_CLUSTER" show listen_addresses 2>/dev/null) || listen=localhost
    if ! [[ ,${listen// /}, =~ ,(\*|localhost|127\.0\.0\.1|0\.0\.0\.0), ]]; then
        pg_conftool "$v" "$PG_CLUSTER" set listen_addresses localhost
        changed=1
    fi

    # /var/run is a tmpfs: the socket directory vanishes on reboot and the postgres user cannot recreate it.
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql

    if pg_ctlcluster "$v" "$PG_CLUSTER" status >/dev/null 2>&1; then
        if [[ -n $changed ]]; then
            log "restarting PostgreSQL $v/$PG_CLUSTER to apply port/listen settings"
            runuser -u postgres -- pg_ctlcluster "$v" "$PG_CLUSTER" restart 9>&- ||
                { show_log "$(pg_log "$v")"; die "PostgreSQL $v/$PG_CLUSTER failed to restart"; }
        fi
    else
        if port_open "$PG_PORT"; then
            die "port $PG_PORT is already taken by another process; stop it or set PG_PORT"
        fi
        log "starting PostgreSQL $v/$PG_CLUSTER"
        runuser -u postgres -- pg_ctlcluster "$v" "$PG_CLUSTER" start 9>&- ||
            { show_log "$(pg_log "$v")"; die "PostgreSQL $v/$PG_CLUSTER failed to start"; }
    fi

    local i
    for ((i = 0; i < 60; i++)); do
        pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
        sleep 0.5
    done
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" ||
        { show_log "$(pg_log "$v")"; die "PostgreSQL is not accepting connections on 127.0.0.1:$PG_PORT"; }

    # CREATE DATABASE cannot run inside DO blocks, hence \gexec. The password is re-set every
    # time so a role left over from elsewhere still matches DATABASE_URL.
    (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
        -v user="$PG_USER" -v pw="$PG_PASSWORD" -v db="$PG_DB") >/dev/null <<'SQL' || die "could not create role/database"
SELECT format('CREATE ROLE %I LOGIN', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN CREATEDB PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

    # Check exactly what the app will do: TCP + password.
    local ver
    ver=$(PGPASSWORD="$PG_PASSWORD" psql -X -tA -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
        -c 'SHOW server_version' 2>&1) ||
        die "cannot log in as $PG_USER over TCP (check pg_hba.conf of $v/$PG_CLUSTER): $ver"
    echo "PostgreSQL ${ver%% *} ready at postgres://$PG_USER@127.0.0.1:$PG_PORT/$PG_DB"
}

pg_stop() {
    local v
    v=$(pg_version) || true
    if [[ -z $v || ! -d /etc/postgresql/$v/$PG_CLUSTER ]]; then
        echo "PostgreSQL: not installed"
        return 0
    fi
    if pg_ctlcluster "$v" "$PG_CLUSTER" status >/dev/null 2>&1; then
        runuser -u postgres -- pg_ctlcluster "$v" "$PG_CLUSTER" stop || die "PostgreSQL $v/$PG_CLUSTER failed to stop"
        echo "PostgreSQL $v/$PG_CLUSTER stopped"
    else
        echo "PostgreSQL $v/$PG_CLUSTER: already stopped"
    fi
}

pg_status() {
    local ver
    if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
        if ver=$(PGPASSWORD="$PG_PASSWORD" psql -X -tA -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
            -c 'SHOW server_version' 2>/dev/null); then
            echo "PostgreSQL ${ver%% *}: up at 127.0.0.1:$PG_PORT (database $PG_DB reachable as $PG_USER)"
        else
            echo "PostgreSQL: up at 127.0.0.1:$PG_PORT, but cannot log in as $PG_USER to $PG_DB (run start)"
            return 1
        fi
    else
        echo "PostgreSQL: down (nothing accepting connections on 127.0.0.1:$PG_PORT)"
        return 1
    fi
}

# ------------------------------------------------------------- Elasticsearch

es_java_home() {
    local java
    java=$(command -v java) || true
    if [[ -z $java ]]; then
        apt_install openjdk-17-jdk-headless
        java=$(command -v java)
    fi
    java=$(readlink -f "$java")
    echo "${java%/bin/java}"
}

es_pid() {
    local pid
    [[ -f $ES_PIDFILE ]] || return 1
    pid=$(cat "$ES_PIDFILE" 2>/dev/null) || return 1
    # Guard against a stale pid file whose number now belongs to an unrelated process.
    [[ $pid =~ ^[0-9]+$ && -d /proc/$pid && $(stat -c %U "/proc/$pid") == "$ES_USER" ]] || return 1
    echo "$pid"
}

es_healthy() {
    curl -fsS -m 5 "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null 2>&1
}

es_version() {
    curl -fsS -m 5 "$ES_URL/" 2>/dev/null | sed -n 's/.*"number" *: *"\([^"]*\)".*/\1/p'
}

# The integ-test-zip is a minimal distribution: it lacks the analysis-common module (ngram,
# edge_ngram, asciifolding, language analyzers -- Wagtail's index settings use them) and the
# rest-root module (GET / and HEAD /, i.e. the clients' info() and ping()). Two small plugins,
# compiled against this very distribution's jars, fill those gaps.
es_build_plugins() {
    local home=$1 java_home=$2 build
    build=$(mktemp -d)
    mkdir -p "$build/src/palvelumanuaali/es" "$build/analysis" "$build/root"

    cat >"$build/src/palvelumanuaali/es/Analysis.java" <<'JAVA'
package palvelumanuaali.es;

import java.io.IOException;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.AnalyzerFactory;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.analysis.TokenizerFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.BooleanSetting;
import org.elasticsearch.plugin.settings.IntSetting;
import org.elasticsearch.plugin.settings.ListSetting;

/** Stand-ins (stable plugin API) for the analysis-common components used by Wagtail. */
public final class Analysis {
    private Analysis() {}

    @AnalysisSettings
    public interface Settings {
        @IntSetting(path = "min_gram", defaultValue = 1)
        int minGram();

        @IntSetting(path = "max_gram", defaultValue = 2)
        int maxGram();

        @BooleanSetting(path = "preserve_original", defaultValue = false)
        boolean preserveOriginal();

        @ListSetting(path = "token_chars")
        List<String> tokenChars();
    }

    @NamedComponent("asciifolding")
    public static final class AsciiFolding implements TokenFilterFactory {
        private final boolean preserveOriginal;

        @Inject
        public AsciiFolding(Settings s) {
            preserveOriginal = s.preserveOriginal();
        }

        public TokenStream create(TokenStream in) {
            return new ASCIIFoldingFilter(in, preserveOriginal);
        }

        public TokenStream normalize(TokenStream in) {
            return new ASCIIFoldingFilter(in, false);
        }
    }

    @NamedComponent("ngram")
    public static final class NGramFilter implements TokenFilterFactory {
        private final Settings s;

        @Inject
        public NGramFilter(Settings s) {
            this.s = s;
        }

        public TokenStream create(TokenStream in) {
            return new NGramTokenFilter(in, s.minGram(), s.maxGram(), s.preserveOriginal());
        }
    }

    @NamedComponent("edge_ngram")
    public static final class EdgeNGramFilter implements TokenFilterFactory {
        private final Settings s;

        @Inject
        public EdgeNGramFilter(Settings s) {
            this.s = s;
        }

        public TokenStream create(TokenStream in) {
            return new EdgeNGramTokenFilter(in, s.minGram(), s.maxGram(), s.preserveOriginal());
        }
    }

    /** token_chars as Elasticsearch defines it; empty means every character. */
    static IntPredicate tokenChars(List<String> classes) {
        if (classes == null || classes.isEmpty()) return c -> true;
        IntPredicate p = c -> false;
        for (String name : classes) {
            IntPredicate q = switch (name) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> c -> switch (Character.getType(c)) {
                    case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                        Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                        Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
                    default -> false;
                };
                case "symbol" -> c -> switch (Character.getType(c)) {
                    case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                        Character.OTHER_SYMBOL -> true;
                    default -> false;
                };
                default -> throw new IllegalArgumentException("Unsupported token_chars class [" + name + "]");
            };
            p = p.or(q);
        }
        return p;
    }

    @NamedComponent("ngram")
    public static final class NGramTok implements TokenizerFactory {
        private final Settings s;

        @Inject
        public NGramTok(Settings s) {
            this.s = s;
        }

        public Tokenizer create() {
            IntPredicate chars = tokenChars(s.tokenChars());
            return new NGramTokenizer(s.minGram(), s.maxGram()) {
                @Override
                protected boolean isTokenChar(int c) {
                    return chars.test(c);
                }
            };
        }
    }

    @NamedComponent("edge_ngram")
    public static final class EdgeNGramTok implements TokenizerFactory {
        private final Settings s;

        @Inject
        public EdgeNGramTok(Settings s) {
            this.s = s;
        }

        public Tokenizer create() {
            IntPredicate chars = tokenChars(s.tokenChars());
            return new EdgeNGramTokenizer(s.minGram(), s.maxGram()) {
                @Override
                protected boolean isTokenChar(int c) {
                    return chars.test(c);
                }
            };
        }
    }

    @NamedComponent("letter")
    public static final class LetterTok implements TokenizerFactory {
        public Tokenizer create() {
            return new LetterTokenizer();
        }
    }

    @NamedComponent("whitespace")
    public static final class WhitespaceTok implements TokenizerFactory {
        public Tokenizer create() {
            return new WhitespaceTokenizer();
        }
    }

    @NamedComponent("keyword")
    public static final class KeywordTok implements TokenizerFactory {
        public Tokenizer create() {
            return new KeywordTokenizer();
        }
    }

    /** Splits on non-letters and lower-cases (older Wagtail versions use it). */
    @NamedComponent("lowercase")
    public static final class LowercaseTok implements TokenizerFactory {
        public Tokenizer create() {
            return new Tokenizer() {
                private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
                private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
                private final char[] buf = new char[4096];
                private int len, idx, consumed;

                private int next() throws IOException {
                    if (idx == len) {
                        len = input.read(buf, 0, buf.length);
                        idx = 0;
                        if (len <= 0) {
                            len = 0;
                            return -1;
                        }
                    }
                    char c = buf[idx++];
                    consumed++;
                    if (Character.isHighSurrogate(c)) {
                        int save = consumed;
                        int lo = next();
                        if (lo >= 0 && Character.isLowSurrogate((char) lo)) return Character.toCodePoint(c, (char) lo);
                        if (lo >= 0) idx--; // unpaired surrogate: push the next char back
                        consumed = save;
                    }
                    return c;
                }

                @Override
                public boolean incrementToken() throws IOException {
                    clearAttributes();
                    int start = -1, end = -1, c;
                    while ((c = next()) != -1) {
                        if (Character.isLetter(c)) {
                            if (start < 0) start = consumed - Character.charCount(c);
                            for (char ch : Character.toChars(Character.toLowerCase(c))) term.append(ch);
                            end = consumed;
                            if (term.length() >= 255) break;
                        } else if (start >= 0) {
                            break;
                        }
                    }
                    if (start < 0) return false;
                    offset.setOffset(correctOffset(start), correctOffset(end));
                    return true;
                }

                @Override
                public void end() throws IOException {
                    super.end();
                    int o = correctOffset(consumed);
                    offset.setOffset(o, o);
                }

                @Override
                public void reset() throws IOException {
                    super.reset();
                    len = idx = consumed = 0;
                }
            };
        }
    }

    @NamedComponent("finnish")
    public static final class Finnish implements AnalyzerFactory {
        public Analyzer create() {
            return new FinnishAnalyzer();
        }
    }

    @NamedComponent("swedish")
    public static final class Swedish implements AnalyzerFactory {
        public Analyzer create() {
            return new SwedishAnalyzer();
        }
    }

    @NamedComponent("english")
    public static final class English implements AnalyzerFactory {
        public Analyzer create() {
            return new EnglishAnalyzer();
        }
    }
}
JAVA

    cat >"$build/src/palvelumanuaali/es/RootPlugin.java" <<'JAVA'
package palvelumanuaali.es;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/** GET / and HEAD / as the rest-root module answers them (clients' info() and ping()). */
public final class RootPlugin extends Plugin implements ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(Settings settings, NamedWriteableRegistry registry,
            RestController controller, ClusterSettings clusterSettings, IndexScopedSettings indexScopedSettings,
            SettingsFilter settingsFilter, IndexNameExpressionResolver resolver, Supplier<DiscoveryNodes> nodes,
            Predicate<NodeFeature> features) {
        return List.of(new BaseRestHandler() {
            @Override
            public String getName() {
                return "palvelumanuaali_main_action";
            }

            @Override
            public List<Route> routes() {
                return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
            }

            @Override
            protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
                return channel -> {
                    if (request.method() == RestRequest.Method.HEAD) {
                        channel.sendResponse(new RestResponse(RestStatus.OK, RestResponse.TEXT_CONTENT_TYPE, BytesArray.EMPTY));
                        return;
                    }
                    Build build = Build.current();
                    ClusterService cs = clusterService;
                    XContentBuilder b = channel.newBuilder();
                    b.startObject();
                    b.field("name", cs.getNodeName());
                    b.field("cluster_name", cs.getClusterName().value());
                    b.field("cluster_uuid", cs.state().metadata().clusterUUID());
                    b.startObject("version")
                        .field("number", build.qualifiedVersion())
                        .field("build_flavor", build.flavor())
                        .field("build_type", build.type().displayName())
                        .field("build_hash", build.hash())
                        .field("build_date", build.date())
                        .field("build_snapshot", build.isSnapshot())
                        .field("lucene_version", org.apache.lucene.util.Version.LATEST.toString())
                        .field("minimum_wire_compatibility_version", build.minWireCompatVersion())
                        .field("minimum_index_compatibility_version", build.minIndexCompatVersion())
                        .endObject();
                    b.field("tagline", "You Know, for Search");
                    b.endObject();
                    channel.sendResponse(new RestResponse(RestStatus.OK, b));
                };
            }
        });
    }
}
JAVA

    local p
    for p in Analysis:analysis RootPlugin:root; do
        "$java_home/bin/javac" -nowarn --release 17 -d "$build/classes-${p#*:}" -cp "$home/lib/*" \
            "$build/src/palvelumanuaali/es/${p%:*}.java" || die "compiling the Elasticsearch helper plugins failed"
        "$java_home/bin/jar" cf "$build/${p#*:}/palvelumanuaali-${p#*:}.jar" -C "$build/classes-${p#*:}" .
    done

    # Stable plugins are looked up through named_components.json, not by scanning classes.
    local c='palvelumanuaali.es.Analysis$'
    cat >"$build/analysis/named_components.json" <<JSON
{
  "org.elasticsearch.plugin.analysis.TokenFilterFactory": {
    "asciifolding": "${c}AsciiFolding", "ngram": "${c}NGramFilter", "edge_ngram": "${c}EdgeNGramFilter"
  },
  "org.elasticsearch.plugin.analysis.TokenizerFactory": {
    "ngram": "${c}NGramTok", "edge_ngram": "${c}EdgeNGramTok", "lowercase": "${c}LowercaseTok",
    "letter": "${c}LetterTok", "whitespace": "${c}WhitespaceTok", "keyword": "${c}KeywordTok"
  },
  "org.elasticsearch.plugin.analysis.AnalyzerFactory": {
    "finnish": "${c}Finnish", "swedish": "${c}Swedish", "english": "${c}English"
  }
}
JSON
    cat >"$build/analysis/stable-plugin-descriptor.properties" <<EOF
description=Palvelumanuaali local: analysis-common stand-ins (ngram, edge_ngram, asciifolding, ...)
version=$ES_PLUGINS_REV
name=palvelumanuaali-analysis
elasticsearch.version=$ES_VERSION
java.version=17
EOF
    cat >"$build/root/plugin-descriptor.properties" <<EOF
description=Palvelumanuaali local: GET / and HEAD /
version=$ES_PLUGINS_REV
name=palvelumanuaali-root
classname=palvelumanuaali.es.RootPlugin
elasticsearch.version=$ES_VERSION
java.version=17
EOF
    rm -rf "$home/plugins/palvelumanuaali-analysis" "$home/plugins/palvelumanuaali-root"
    cp -r "$build/analysis" "$home/plugins/palvelumanuaali-analysis"
    cp -r "$build/root" "$home/plugins/palvelumanuaali-root"
    chmod -R a+rX "$home/plugins"
    echo "$ES_PLUGINS_REV" >"$home/.palvelumanuaali-plugins-rev"
    rm -rf "$build"
}

es_install() {
    local java_home=$1
    if [[ -x $ES_HOME/bin/elasticsearch ]]; then
        if [[ $(cat "$ES_HOME/.palvelumanuaali-plugins-rev" 2>/dev/null) != "$ES_PLUGINS_REV" ]]; then
            log "rebuilding Elasticsearch helper plugins"
            es_build_plugins "$ES_HOME" "$java_home"
        fi
        return 0
    fi
    [[ -x $java_home/bin/javac ]] || apt_install openjdk-17-jdk-headless
    command -v mvn >/dev/null || apt_install maven
    command -v unzip >/dev/null || apt_install unzip

    log "installing Elasticsearch $ES_VERSION into $ES_HOME"
    mkdir -p "$ES_INSTALL_ROOT"
    chmod 755 "$ES_INSTALL_ROOT"
    local tmp
    tmp=$(mktemp -d "$ES_INSTALL_ROOT/.install.XXXXXX")
    # Going through Maven keeps the zip in ~/.m2, so reinstalls and CI reruns need no network.
    if ! (cd "$tmp" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
        -DoutputDirectory="$tmp" >"$tmp/mvn.log" 2>&1); then
        show_log "$tmp/mvn.log"
        rm -rf "$tmp"
        die "could not fetch org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip from Maven"
    fi
    unzip -q "$tmp/elasticsearch-$ES_VERSION.zip" -d "$tmp" || { rm -rf "$tmp"; die "unzip failed"; }
    es_build_plugins "$tmp/elasticsearch-$ES_VERSION" "$java_home"
    chmod -R a+rX "$tmp/elasticsearch-$ES_VERSION"
    # Rename last so a half-finished install never looks complete.
    mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$tmp"
}

es_configure() {
    if ! id "$ES_USER" >/dev/null 2>&1; then
        log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
        useradd --system --user-group --home-dir "$ES_STATE_DIR" --no-create-home \
            --shell /usr/sbin/nologin "$ES_USER"
    fi
    mkdir -p "$(dirname "$ES_STATE_DIR")"
    install -d -o "$ES_USER" -g "$ES_USER" -m 755 "$ES_STATE_DIR" "$ES_STATE_DIR/logs"
    install -d -o "$ES_USER" -g "$ES_USER" -m 750 "$ES_STATE_DIR/config" "$ES_STATE_DIR/data"

    # Config lives with the state (ES writes its keystore there); refreshed each start so
    # changes to this script or to ES_VERSION take effect.
    cp -r "$ES_HOME/config/." "$ES_STATE_DIR/config/"
    {
        echo "# Written by deploy/local-services.sh on every start; local edits are lost."
        echo "cluster.name: palvelumanuaali"
        echo "node.name: local"
        echo "discovery.type: single-node"
        echo "network.host: 127.0.0.1"
        echo "http.port: $ES_PORT"
        echo "path.data: $ES_STATE_DIR/data"
        echo "path.logs: $ES_STATE_DIR/logs"
        # A nearly full disk would otherwise block shard allocation and index creation.
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
        # Only valid where the distribution ships security (8.19's integ-test-zip does).
        if [[ -d $ES_HOME/modules/x-pack-security ]]; then
            echo "xpack.security.enabled: false"
        fi
    } >"$ES_STATE_DIR/config/elasticsearch.yml"
    chown -R "$ES_USER:$ES_USER" "$ES_STATE_DIR/config"
}

es_wait_ready() {
    local deadline=$((SECONDS + ES_START_TIMEOUT))
    until es_healthy; do
        if ! es_pid >/dev/null; then
            show_log "$ES_STARTUP_LOG" "$ES_LOG"
            die "Elasticsearch exited during startup"
        fi
        if ((SECONDS >= deadline)); then
            show_log "$ES_LOG"
            die "Elasticsearch did not reach yellow health within ${ES_START_TIMEOUT}s"
        fi
        sleep 1
    done
}

es_start() {
    local java_home running
    if es_pid >/dev/null; then
        es_wait_ready
        running=$(es_version)
        if [[ $running == "$ES_VERSION" ]]; then
            echo "Elasticsearch $running ready at $ES_URL"
            return 0
        fi
        log "Elasticsearch $running is running but ES_VERSION=$ES_VERSION; replacing it"
        # Install first, so an unavailable version leaves the running one alone.
        java_home=$(es_java_home)
        es_install "$java_home"
        es_stop >/dev/null
    fi
    if port_open "$ES_PORT"; then
        die "port $ES_PORT is already taken by a process this script did not start; stop it or set ES_PORT"
    fi
    command -v curl >/dev/null || apt_install curl ca-certificates
    java_home=$(es_java_home)
    es_install "$java_home"
    es_configure
    rm -f "$ES_PIDFILE"
    log "starting Elasticsearch $ES_VERSION (heap $ES_HEAP) as $ES_USER"
    # env -i: a stray JAVA_HOME/ES_JAVA_OPTS from the caller must not change how ES runs.
    if ! (cd "$ES_STATE_DIR" && runuser -u "$ES_USER" -- env -i \
        PATH=/usr/local/bin:/usr/bin:/bin HOME="$ES_STATE_DIR" LANG=C.UTF-8 \
        ES_JAVA_HOME="$java_home" ES_PATH_CONF="$ES_STATE_DIR/config" \
        ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
        "$ES_HOME/bin/elasticsearch" -d -p "$ES_PIDFILE") >"$ES_STARTUP_LOG" 2>&1 9>&-; then
        show_log "$ES_STARTUP_LOG" "$ES_LOG"
        die "Elasticsearch failed to start"
    fi
    es_wait_ready
    echo "Elasticsearch $(es_version) ready at $ES_URL"
}

es_stop() {
    local pid i
    if ! pid=$(es_pid); then
        rm -f "$ES_PIDFILE"
        echo "Elasticsearch: already stopped"
        return 0
    fi
    runuser -u "$ES_USER" -- kill -TERM "$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
        [[ -d /proc/$pid ]] || break
        sleep 0.5
    done
    if [[ -d /proc/$pid ]]; then
        log "Elasticsearch (pid $pid) ignored SIGTERM for 30s; killing it"
        runuser -u "$ES_USER" -- kill -KILL "$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        sleep 1
    fi
    rm -f "$ES_PIDFILE"
    echo "Elasticsearch stopped"
}

es_status() {
    local pid
    if es_healthy; then
        echo "Elasticsearch $(es_version): up at $ES_URL"
    elif pid=$(es_pid); then
        echo "Elasticsearch: process $pid running but $ES_URL is not healthy (see $ES_LOG)"
        return 1
    else
        echo "Elasticsearch: down (nothing healthy at $ES_URL)"
        return 1
    fi
}

# ----------------------------------------------------------- Valkey / Redis

# The installed server binary: Valkey's, else Redis's (same protocol, same configuration).
cache_server() {
    local name
    for name in valkey-server redis-server; do
        if command -v "$name" >/dev/null; then
            command -v "$name"
            return 0
        fi
    done
    return 1
}

cache_install() {
    local package=redis-server
    apt_update
    # Debian 13 packages Valkey; Debian 12 has only Redis (7.0), which serves just as well.
    if apt-cache policy valkey-server 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        package=valkey-server
    fi
    apt_install "$package"
    # Where invoke-rc.d may start services, the package's own instance would hold CACHE_PORT.
    service "$package" stop >/dev/null 2>&1 || true
}

# The package's service user (valkey or redis) runs our instance too.
cache_user() {
    local user=redis
    [[ $(basename "$1") == valkey-server ]] && user=valkey
    if ! id "$user" >/dev/null 2>&1; then
        log "creating system user $user"
        useradd --system --user-group --home-dir "$CACHE_STATE_DIR" --no-create-home \
            --shell /usr/sbin/nologin "$user"
    fi
    echo "$user"
}

cache_cli() {
    local server
    server=$(cache_server) || return 1
    "${server%-server}-cli" -h 127.0.0.1 -p "$CACHE_PORT" "$@"
}

cache_pid() {
    local pid
    [[ -f $CACHE_PIDFILE ]] || return 1
    pid=$(cat "$CACHE_PIDFILE" 2>/dev/null) || return 1
    # Guard against a stale pid file whose number now belongs to an unrelated process.
    [[ $pid =~ ^[0-9]+$ && -d /proc/$pid && $(stat -c %U "/proc/$pid") =~ ^(valkey|redis)$ ]] || return 1
    echo "$pid"
}

cache_ready() { [[ $(cache_cli ping 2>/dev/null) == PONG ]]; }

# "Valkey 8.1.1" or "Redis 7.0.15", from the server itself.
cache_version() {
    local info
    info=$(cache_cli info server 2>/dev/null | tr -d '\r') || return 1
    if [[ $info =~ valkey_version:([^$'\n']+) ]]; then
        echo "Valkey ${BASH_REMATCH[1]}"
    elif [[ $info =~ redis_version:([^$'\n']+) ]]; then
        echo "Redis ${BASH_REMATCH[1]}"
    else
        echo "Valkey/Redis"
    fi
}

cache_start() {
    local server user i
    if ! server=$(cache_server); then
        cache_install
        server=$(cache_server) || die "valkey-server/redis-server installed but not on PATH"
    fi
    if cache_pid >/dev/null && cache_ready; then
        echo "$(cache_version) ready at $CACHE_URL"
        return 0
    fi
    if port_open "$CACHE_PORT"; then
        die "port $CACHE_PORT is already taken by a process this script did not start; stop it or set CACHE_PORT"
    fi
    user=$(cache_user "$server")
    mkdir -p "$(dirname "$CACHE_STATE_DIR")"
    install -d -o "$user" -g "$user" -m 750 "$CACHE_STATE_DIR"
    {
        echo "# Written by deploy/local-services.sh on every start; local edits are lost."
        echo "bind 127.0.0.1"
        echo "port $CACHE_PORT"
        echo "protected-mode yes"
        echo "daemonize yes"
        echo "pidfile $CACHE_PIDFILE"
        echo "logfile $CACHE_LOG"
        echo "dir $CACHE_STATE_DIR"
        # A cache: nothing goes to disk, and the least recently used keys make room.
        echo 'save ""'
        echo "appendonly no"
        echo "maxmemory $CACHE_MAXMEMORY"
        echo "maxmemory-policy allkeys-lru"
    } >"$CACHE_STATE_DIR/cache.conf"
    chown "$user:$user" "$CACHE_STATE_DIR/cache.conf"
    rm -f "$CACHE_PIDFILE"
    log "starting $(basename "$server") on 127.0.0.1:$CACHE_PORT as $user"
    (cd "$CACHE_STATE_DIR" && runuser -u "$user" -- "$server" "$CACHE_STATE_DIR/cache.conf") 9>&- ||
        { show_log "$CACHE_LOG"; die "$(basename "$server") failed to start"; }
    for ((i = 0; i < 60; i++)); do
        cache_ready && break
        sleep 0.5
    done
    cache_ready || { show_log "$CACHE_LOG"; die "the cache is not answering PING on 127.0.0.1:$CACHE_PORT"; }
    echo "$(cache_version) ready at $CACHE_URL"
}

cache_stop() {
    local pid i
    if ! pid=$(cache_pid); then
        rm -f "$CACHE_PIDFILE"
        echo "Cache: already stopped"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
        [[ -d /proc/$pid ]] || break
        sleep 0.25
    done
    if [[ -d /proc/$pid ]]; then
        log "cache server (pid $pid) ignored SIGTERM for 10s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$CACHE_PIDFILE"
    echo "Cache stopped"
}

cache_status() {
    local pid
    if cache_ready; then
        echo "$(cache_version): up at $CACHE_URL"
    elif pid=$(cache_pid); then
        echo "Cache: process $pid running but not answering PING at 127.0.0.1:$CACHE_PORT (see $CACHE_LOG)"
        return 1
    else
        echo "Cache: down (nothing answering PING at 127.0.0.1:$CACHE_PORT)"
        return 1
    fi
}

# ------------------------------------------------------------------- main

# Serialise start/stop so a developer and a CI run on the same machine do not race.
# Every command that leaves a daemon behind gets "9>&-": an inherited fd would hold the lock forever.
lock() {
    exec 9>/tmp/palvelumanuaali-local-services.lock
    flock -w 300 9 || die "another local-services.sh run has held /tmp/palvelumanuaali-local-services.lock for 5 minutes"
}

case "${1:-}" in
start)
    need_root start
    lock
    # Finnish base forms and compound parts for search (search/analysis.py); the app runs without.
    dpkg -s libvoikko1 voikko-fi >/dev/null 2>&1 || apt_install libvoikko1 voikko-fi
    pg_start
    es_start
    cache_start
    ;;
stop)
    need_root stop
    lock
    rc=0
    cache_stop || rc=1
    es_stop || rc=1
    pg_stop || rc=1
    exit $rc
    ;;
status)
    rc=0
    pg_status || rc=1
    es_status || rc=1
    cache_status || rc=1
    exit $rc
    ;;
browser)
    # Debian's Chromium for the browser suite (`make e2e`); Playwright's own download
    # is not used.
    need_root browser
    lock
    command -v chromium >/dev/null || apt_install chromium
    ;;
bench-tools)
    # The load generator of scripts/bench_load.py (not needed by the tests).
    need_root bench-tools
    lock
    command -v wrk >/dev/null || apt_install wrk
    ;;
env)
    echo "export DATABASE_URL=postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
    echo "export ELASTICSEARCH_URL=$ES_URL"
    echo "export CACHE_URL=$CACHE_URL"
    ;;
*)
    echo "usage: $0 start|stop|status|env|browser|bench-tools" >&2
    exit 2
    ;;
esac
