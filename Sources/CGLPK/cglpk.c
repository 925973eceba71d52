#include "cglpk.h"

#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// Per-thread state of the call in progress. GLPK's environment is thread-local, so is ours.
typedef struct {
    jmp_buf jump;
    char tail[512];      // last terminal output, for the fatal-error message
    size_t tail_len;
    void (*log)(void *ctx, const char *text);
    void *log_ctx;
} guard_t;

static _Thread_local guard_t *active_guard = NULL;

static int term_hook(void *info, const char *s) {
    guard_t *g = (guard_t *)info;
    size_t n = strlen(s);
    size_t cap = sizeof(g->tail) - 1;
    if (n >= cap) {
        memcpy(g->tail, s + (n - cap), cap);
        g->tail_len = cap;
    } else {
        if (g->tail_len + n > cap) {
            size_t drop = g->tail_len + n - cap;
            memmove(g->tail, g->tail + drop, g->tail_len - drop);
            g->tail_len -= drop;
        }
        memcpy(g->tail + g->tail_len, s, n);
        g->tail_len += n;
    }
    g->tail[g->tail_len] = '\0';
    if (g->log) g->log(g->log_ctx, s);
    return 1; // never print to stdout
}

static void error_hook(void *info) {
    guard_t *g = (guard_t *)info;
    longjmp(g->jump, 1);
}

static void copy_message(char *dst, size_t cap, const char *src) {
    if (cap == 0) return;
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int check_model(const cglpk_model *m, char *message, size_t cap) {
    if (m->nrows < 0 || m->ncols < 0) {
        copy_message(message, cap, "negative row or column count");
        return CGLPK_EMODEL;
    }
    if (m->nrows > 0 && (!m->row_start || m->row_start[0] != 0)) {
        copy_message(message, cap, "row_start must begin at 0");
        return CGLPK_EMODEL;
    }
    for (int i = 0; i < m->nrows; i++) {
        if (m->row_start[i + 1] < m->row_start[i]) {
            copy_message(message, cap, "row_start must not decrease");
            return CGLPK_EMODEL;
        }
    }
    int nnz = m->nrows > 0 ? m->row_start[m->nrows] : 0;
    for (int k = 0; k < nnz; k++) {
        if (m->entry_col[k] < 0 || m->entry_col[k] >= m->ncols) {
            copy_message(message, cap, "matrix entry refers to a column out of range");
            return CGLPK_EMODEL;
        }
    }
    return CGLPK_OK;
}

// Builds the GLPK problem. Must run under the guard: GLPK may take its fatal-error path.
static glp_prob *build(const cglpk_model *m) {
    glp_prob *P = glp_create_prob();
    if (m->name) glp_set_prob_name(P, m->name);
    glp_set_obj_dir(P, m->maximize ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(P, 0, m->obj_const);
    // A problem without rows is legal for us; GLPK's simplex wants at least one.
    int nrows = m->nrows > 0 ? m->nrows : 1;
    glp_add_rows(P, nrows);
    if (m->nrows == 0) glp_set_row_bnds(P, 1, GLP_FR, 0.0, 0.0);
    if (m->ncols > 0) glp_add_cols(P, m->ncols);
    for (int j = 0; j < m->ncols; j++) {
        if (m->col_names && m->col_names[j]) glp_set_col_name(P, j + 1, m->col_names[j]);
        glp_set_col_bnds(P, j + 1, m->col_type[j], m->col_lb[j], m->col_ub[j]);
        glp_set_obj_coef(P, j + 1, m->obj[j]);
        if (m->col_kind[j] == CGLPK_INTEGER) glp_set_col_kind(P, j + 1, GLP_IV);
        if (m->col_kind[j] == CGLPK_BINARY) glp_set_col_kind(P, j + 1, GLP_BV);
    }
    for (int i = 0; i < m->nrows; i++) {
        if (m->row_names && m->row_names[i]) glp_set_row_name(P, i + 1, m->row_names[i]);
        glp_set_row_bnds(P, i + 1, m->row_type[i], m->row_lb[i], m->row_ub[i]);
        int beg = m->row_start[i], len = m->row_start[i + 1] - beg;
        if (len == 0) continue;
        // glp_set_mat_row reads ind[1..len] and val[1..len]: shift the pointers by one.
        int *ind = (int *)malloc(sizeof(int) * (size_t)(len + 1));
        double *val = (double *)malloc(sizeof(double) * (size_t)(len + 1));
        for (int k = 0; k < len; k++) {
            ind[k + 1] = m->entry_col[beg + k] + 1;
            val[k + 1] = m->entry_val[beg + k];
        }
        // Free before a possible fatal error cannot be arranged; duplicates are filtered in
        // Swift, so this call only fails on programming errors.
        glp_set_mat_row(P, i + 1, len, ind, val);
        free(ind);
        free(val);
    }
    return P;
}

// ---- callback plumbing -------------------------------------------------------------------

typedef struct {
    int type;
    double lb, ub;
    int len;
    int *ind;     // 1-based, [1..len]
    double *val;  // [1..len]
} pending_row;

typedef struct {
    const cglpk_model *model;
    const cglpk_params *params;
    double *x;          // scratch, ncols
    double *start1;     // 1-based copy of params->start, or NULL
    int start_offered;
    double bound;
    int has_bound;
    int nodes;
    int stop;
    pending_row *rows;
    int nrows_pending, cap_pending;
    int add_error;
} cb_state;

typedef struct {
    cb_state *state;
    int reason;
} cb_handle;

int cglpk_cb_add_row(void *handle, const cglpk_row *row) {
    cb_handle *h = (cb_handle *)handle;
    cb_state *s = h->state;
    if (h->reason != GLP_IROWGEN) return 1;
    if (row->len < 0) return 2;
    // Validate here, in C, so that GLPK never meets a bad row while Swift frames are live.
    for (int k = 0; k < row->len; k++) {
        if (row->cols[k] < 0 || row->cols[k] >= s->model->ncols) return 3;
        if (!isfinite(row->vals[k])) return 4;
        for (int l = 0; l < k; l++)
            if (row->cols[l] == row->cols[k]) return 5;
    }
    if (s->nrows_pending == s->cap_pending) {
        int cap = s->cap_pending ? 2 * s->cap_pending : 8;
        pending_row *grown = (pending_row *)realloc(s->rows, sizeof(pending_row) * (size_t)cap);
        if (!grown) return 6;
        s->rows = grown;
        s->cap_pending = cap;
    }
    pending_row *p = &s->rows[s->nrows_pending++];
    p->type = row->type;
    p->lb = row->lb;
    p->ub = row->ub;
    p->len = row->len;
    p->ind = (int *)malloc(sizeof(int) * (size_t)(row->len + 1));
    p->val = (double *)malloc(sizeof(double) * (size_t)(row->len + 1));
    for (int k = 0; k < row->len; k++) {
        p->ind[k + 1] = row->cols[k] + 1;
        p->val[k + 1] = row->vals[k];
    }
    return 0;
}

static void flush_rows(cb_state *s, glp_prob *P) {
    for (int r = 0; r < s->nrows_pending; r++) {
        pending_row *p = &s->rows[r];
        int i = glp_add_rows(P, 1);
        glp_set_row_bnds(P, i, p->type, p->lb, p->ub);
        glp_set_mat_row(P, i, p->len, p->ind, p->val);
        free(p->ind);
        free(p->val);
    }
    s->nrows_pending = 0;
}

static void free_pending(cb_state *s) {
    for (int r = 0; r < s->nrows_pending; r++) {
        free(s->rows[r].ind);
        free(s->rows[r].val);
    }
    free(s->rows);
    s->rows = NULL;
    s->nrows_pending = s->cap_pending = 0;
}

static void ios_callback(glp_tree *T, void *info) {
    cb_state *s = (cb_state *)info;
    int reason = glp_ios_reason(T);
    int best = glp_ios_best_node(T);
    if (best != 0) {
        s->bound = glp_ios_node_bound(T, best);
        s->has_bound = 1;
    }
    int a_cnt = 0, n_cnt = 0, t_cnt = 0;
    glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
    s->nodes = t_cnt;

    if (reason == GLP_IHEUR && s->start1 && !s->start_offered) {
        s->start_offered = 1;
        glp_ios_heur_sol(T, s->start1); // a rejected start is not an error
    }
    const cglpk_params *prm = s->params;
    if (!prm->callback) return;
    if (reason != GLP_IROWGEN && reason != GLP_IBINGO) return;
    glp_prob *P = glp_ios_get_prob(T);
    int n = s->model->ncols;
    for (int j = 0; j < n; j++)
        s->x[j] = reason == GLP_IBINGO ? glp_mip_col_val(P, j + 1) : glp_get_col_prim(P, j + 1);
    cb_handle h = {s, reason};
    int stop = prm->callback(prm->callback_ctx, reason, s->x, n, &h);
    flush_rows(s, P);
    if (stop) {
        s->stop = 1;
        glp_ios_terminate(T);
    }
}

// ---- solve -------------------------------------------------------------------------------

static int lp_status(int st) {
    switch (st) {
    case GLP_OPT: return CGLPK_STATUS_OPTIMAL;
    case GLP_FEAS: return CGLPK_STATUS_FEASIBLE;
    case GLP_NOFEAS: return CGLPK_STATUS_INFEASIBLE;
    case GLP_UNBND: return CGLPK_STATUS_UNBOUNDED;
    case GLP_INFEAS: return CGLPK_STATUS_NO_SOLUTION;
    default: return CGLPK_STATUS_UNDEFINED;
    }
}

static double now_ms(void) { return glp_time(); }

void cglpk_solve(const cglpk_model *model, const cglpk_params *params, cglpk_result *result) {
    result->code = CGLPK_OK;
    result->status = CGLPK_STATUS_UNDEFINED;
    result->objective = NAN;
    result->bound = NAN;
    result->nodes = 0;
    result->message[0] = '\0';

    if (active_guard) {
        result->code = CGLPK_ENESTED;
        copy_message(result->message, sizeof(result->message),
                     "a GLPK solve was started from inside a callback of another solve");
        return;
    }
    int rc = check_model(model, result->message, sizeof(result->message));
    if (rc != CGLPK_OK) {
        result->code = rc;
        return;
    }

    guard_t g;
    memset(&g, 0, sizeof(g));
    g.log = params->log;
    g.log_ctx = params->log_ctx;

    cb_state s;
    memset(&s, 0, sizeof(s));
    s.model = model;
    s.params = params;
    s.bound = NAN;
    s.x = (double *)malloc(sizeof(double) * (size_t)(model->ncols + 1));
    if (params->start) {
        s.start1 = (double *)malloc(sizeof(double) * (size_t)(model->ncols + 1));
        s.start1[0] = 0;
        for (int j = 0; j < model->ncols; j++) s.start1[j + 1] = params->start[j];
    }

    glp_prob *volatile P = NULL;
    active_guard = &g;
    glp_term_hook(term_hook, &g);
    glp_error_hook(error_hook, &g);

    if (setjmp(g.jump)) {
        // GLPK's fatal path: its state is undefined, so drop the whole thread environment.
        // No problem object survives a call, so nothing else is lost.
        glp_free_env();
        active_guard = NULL;
        result->code = CGLPK_EFATAL;
        result->status = CGLPK_STATUS_UNDEFINED;
        copy_message(result->message, sizeof(result->message), g.tail);
        free(s.x);
        free(s.start1);
        free_pending(&s);
        return;
    }

    double t0 = now_ms();
    P = build(model);

    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = params->msg_level;
    smcp.presolve = params->presolve ? GLP_ON : GLP_OFF;
    if (params->time_limit_ms > 0) smcp.tm_lim = params->time_limit_ms;

    // Callbacks and a start point speak in the original columns, so the MIP presolver, which
    // renumbers them, is off then; the relaxation is solved first by the simplex instead.
    int user_hooks = params->callback != NULL || params->start != NULL;
    int mip_presolve = params->mip && params->presolve && !user_hooks;

    if (!params->mip || !mip_presolve) {
        int ret = glp_simplex(P, &smcp);
        if (ret == GLP_ENODFS && smcp.presolve == GLP_ON) {
            // The presolver cannot tell unbounded from infeasible: ask the plain simplex.
            smcp.presolve = GLP_OFF;
            ret = glp_simplex(P, &smcp);
        }
        result->code = ret;
        int st;
        if (ret == GLP_ENOPFS) st = CGLPK_STATUS_INFEASIBLE;
        else st = lp_status(glp_get_status(P));
        // With the presolver on, a time limit leaves no recoverable point (GLPK reports
        // "unable to recover undefined or non-optimal solution"): stopped, nothing found.
        if (ret == GLP_ETMLIM && st == CGLPK_STATUS_UNDEFINED) st = CGLPK_STATUS_NO_SOLUTION;
        if (!params->mip || st != CGLPK_STATUS_OPTIMAL) {
            if (params->mip && st == CGLPK_STATUS_FEASIBLE) st = CGLPK_STATUS_NO_SOLUTION;
            result->status = st;
            if (st == CGLPK_STATUS_OPTIMAL || st == CGLPK_STATUS_FEASIBLE) {
                result->objective = glp_get_obj_val(P);
                if (st == CGLPK_STATUS_OPTIMAL) result->bound = result->objective;
                for (int j = 0; j < model->ncols; j++) result->x[j] = glp_get_col_prim(P, j + 1);
                if (result->row_dual)
                    for (int i = 0; i < model->nrows; i++)
                        result->row_dual[i] = glp_get_row_dual(P, i + 1);
            }
            if (ret == 0 || ret == GLP_ENOPFS || ret == GLP_ENODFS || ret == GLP_ETMLIM)
                result->code = CGLPK_OK;
            goto done;
        }
        result->code = CGLPK_OK;
    }

    {
        glp_iocp iocp;
        glp_init_iocp(&iocp);
        iocp.msg_lev = params->msg_level;
        iocp.presolve = mip_presolve ? GLP_ON : GLP_OFF;
        if (params->time_limit_ms > 0) {
            double left = params->time_limit_ms - (now_ms() - t0);
            iocp.tm_lim = left < 1 ? 1 : (int)left;
        }
        if (params->mip_gap > 0) iocp.mip_gap = params->mip_gap;
        if (params->cuts) {
            iocp.gmi_cuts = (params->cuts & 1) ? GLP_ON : GLP_OFF;
            iocp.mir_cuts = (params->cuts & 2) ? GLP_ON : GLP_OFF;
            iocp.cov_cuts = (params->cuts & 4) ? GLP_ON : GLP_OFF;
            iocp.clq_cuts = (params->cuts & 8) ? GLP_ON : GLP_OFF;
        }
        if (params->heuristics) {
            iocp.fp_heur = GLP_ON;
            iocp.ps_heur = GLP_ON;
            iocp.ps_tm_lim = 2000;
        }
        if (params->branching > 0) iocp.br_tech = params->branching;
        iocp.cb_func = ios_callback;
        iocp.cb_info = &s;
        int ret = glp_intopt(P, &iocp);
        int mst = glp_mip_status(P);
        int st;
        switch (ret) {
        case 0:
            st = mst == GLP_OPT ? CGLPK_STATUS_OPTIMAL
               : mst == GLP_NOFEAS ? CGLPK_STATUS_INFEASIBLE : CGLPK_STATUS_UNDEFINED;
            break;
        case GLP_ETMLIM: case GLP_EMIPGAP: case GLP_ESTOP:
            st = mst == GLP_FEAS || mst == GLP_OPT ? CGLPK_STATUS_FEASIBLE : CGLPK_STATUS_NO_SOLUTION;
            break;
        case GLP_ENOPFS: st = CGLPK_STATUS_INFEASIBLE; break;
        case GLP_ENODFS: st = CGLPK_STATUS_UNBOUNDED; break;
        default: st = CGLPK_STATUS_UNDEFINED; break;
        }
        result->code = (ret == 0 || ret == GLP_ETMLIM || ret == GLP_EMIPGAP || ret == GLP_ESTOP
                        || ret == GLP_ENOPFS || ret == GLP_ENODFS) ? CGLPK_OK : ret;
        result->status = st;
        result->nodes = s.nodes;
        if (st == CGLPK_STATUS_OPTIMAL || st == CGLPK_STATUS_FEASIBLE) {
            result->objective = glp_mip_obj_val(P);
            for (int j = 0; j < model->ncols; j++) result->x[j] = glp_mip_col_val(P, j + 1);
            result->bound = st == CGLPK_STATUS_OPTIMAL ? result->objective
                          : (s.has_bound ? s.bound : NAN);
        }
    }

done:
    glp_delete_prob(P);
    P = NULL;
    glp_term_hook(NULL, NULL);
    glp_error_hook(NULL, NULL);
    active_guard = NULL;
    free(s.x);
    free(s.start1);
    free_pending(&s);
}

int cglpk_write_lp(const cglpk_model *model, const char *path, char *message, size_t message_len) {
    if (message_len) message[0] = '\0';
    if (active_guard) {
        copy_message(message, message_len, "GLPK is busy with a solve on this thread");
        return CGLPK_ENESTED;
    }
    int rc = check_model(model, message, message_len);
    if (rc != CGLPK_OK) return rc;
    guard_t g;
    memset(&g, 0, sizeof(g));
    glp_prob *volatile P = NULL;
    active_guard = &g;
    glp_term_hook(term_hook, &g);
    glp_error_hook(error_hook, &g);
    if (setjmp(g.jump)) {
        glp_free_env();
        active_guard = NULL;
        copy_message(message, message_len, g.tail);
        return CGLPK_EFATAL;
    }
    P = build(model);
    glp_cpxcp parm;
    glp_init_cpxcp(&parm);
    int ret = glp_write_lp(P, &parm, path);
    glp_delete_prob(P);
    glp_term_hook(NULL, NULL);
    glp_error_hook(NULL, NULL);
    active_guard = NULL;
    if (ret != 0) {
        copy_message(message, message_len, g.tail);
        return CGLPK_EIO;
    }
    return CGLPK_OK;
}

const char *cglpk_version(void) { return glp_version(); }

int cglpk_thread_local(void) { return glp_config("TLS") != NULL; }
