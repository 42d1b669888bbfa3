package io.dormant.engine.web;

import io.dormant.library.catalogue.CatalogueException;
import io.dormant.library.catalogue.UnknownImageException;
import io.dormant.library.images.ImageLibraryException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the REST API as RFC 9457 problem details whose detail is the same sentence the CLI prints. */
@RestControllerAdvice(basePackages = "io.dormant.engine")
class ApiErrors {

    @ExceptionHandler(UnknownImageException.class)
    ProblemDetail unknownImage(UnknownImageException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(CatalogueException.class)
    ProblemDetail catalogue(CatalogueException e) {
        HttpStatus status = e.getMessage().contains("has no version") ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        return ProblemDetail.forStatusAndDetail(status, e.getMessage());
    }

    @ExceptionHandler(ImageLibraryException.class)
    ProblemDetail library(ImageLibraryException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    @ExceptionHandler(io.dormant.engine.runs.ImageBusyException.class)
    ProblemDetail busy(io.dormant.engine.runs.ImageBusyException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
